// Filter Offers as people use it: typed text finds GPU models, providers and regions; provider
// slugs compare however the API spells them; the view says what the count leaves out.

import type { FilterChoice, OfferFilterChoices, OfferFilters, OfferTree } from './offers';
import { plural } from './format';

/**
 * The provider to compare by: `data-crunch`, `datacrunch` and `DataCrunch` are one provider, as
 * are `voltage-park` and `voltagepark` (the live API and the contract spell them differently,
 * and a saved filter must never hide offers of the provider it names). `verda` is DataCrunch's new name.
 */
export function providerKey(provider: string): string {
  const key = provider
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return key === 'verda' ? 'datacrunch' : key;
}

function searchKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export type SearchableField = 'gpuModels' | 'providers' | 'regions';

export interface FilterMatch extends FilterChoice<string> {
  readonly field: SearchableField;
}

/**
 * The GPU models, providers and regions whose name contains the typed text (case, spaces and
 * punctuation ignored: `h100` finds `H100 SXM5`, `datacrunch` finds `data-crunch`), models
 * first, each by name.
 */
export function matchFilterChoices(choices: OfferFilterChoices, text: string): FilterMatch[] {
  const wanted = searchKey(text);
  if (wanted === '') {
    return [];
  }
  const fields: SearchableField[] = ['gpuModels', 'providers', 'regions'];
  return fields.flatMap((field) =>
    choices[field]
      .filter((choice) => searchKey(choice.value).includes(wanted))
      .map((choice) => ({ ...choice, field })),
  );
}

/** Adds a value to a list filter (no duplicates, providers compared by providerKey). */
export function withFilterValue(filters: OfferFilters, field: SearchableField, value: string): OfferFilters {
  const current = filters[field];
  const same = (a: string) => (field === 'providers' ? providerKey(a) === providerKey(value) : a === value);
  return current.some(same) ? filters : { ...filters, [field]: [...current, value] };
}

/**
 * The Offers view's count: `9 of 10 offers · 1 in maintenance hidden`, so a count below the total
 * is explained even when no filter is set.
 */
export function offerCountText(
  tree: Pick<OfferTree, 'shownOffers' | 'totalOffers' | 'hiddenMaintenance'>,
): string {
  const counts = `${tree.shownOffers} of ${plural(tree.totalOffers, 'offer')}`;
  return tree.hiddenMaintenance > 0 ? `${counts} · ${tree.hiddenMaintenance} in maintenance hidden` : counts;
}
