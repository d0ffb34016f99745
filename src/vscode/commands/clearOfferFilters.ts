import { DEFAULT_OFFER_FILTERS } from '../../core/model/offers';
import type { SpheronCommand } from './types';

export const clearOfferFiltersCommand: SpheronCommand = {
  id: 'spheron.offers.clearFilters',
  title: 'Clear Offer Filters',
  run: (services) => services.explorer.setOfferFilters(DEFAULT_OFFER_FILTERS),
};
