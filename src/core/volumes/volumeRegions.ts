// Regions, size limits and prices for the create-volume form: `/api/volumes/regions` gives the
// regions and limits, `/api/volumes/pricing` the price, which wins where it answers.
import type { VolumeRegions } from '../domain/types';
import type { RequestOptions, SpheronApi } from '../api/spheronApi';
import { volumeProviderRules } from './providerRules';

/**
 * Providers the form offers. Sesterce also needs a `cloudId`, which the form does not ask for;
 * Spheron AI volumes are not offered through the public API yet.
 */
export const VOLUME_FORM_PROVIDERS = ['voltage-park', 'data-crunch'] as const;

export function isVolumeFormProvider(provider: string): boolean {
  return (VOLUME_FORM_PROVIDERS as readonly string[]).includes(provider);
}

export type VolumeRegionsApi = Pick<SpheronApi, 'getVolumeRegions' | 'getVolumePricing'>;

export interface ProviderRegions {
  readonly provider: string;
  readonly regions: VolumeRegions | null;
  readonly error?: string;
}

/** Replaces each region's rate with the pricing endpoint's, where it gave a usable number. */
export function applyVolumePricing(
  regions: VolumeRegions,
  rateFor: (regionId: string) => number | undefined,
): VolumeRegions {
  return {
    hasAnyOffers: regions.hasAnyOffers,
    regions: regions.regions.map((region) => {
      const rate = rateFor(region.id);
      return rate !== undefined && Number.isFinite(rate) && rate > 0
        ? { ...region, hourlyRatePerGb: rate }
        : region;
    }),
  };
}

/**
 * Regions with prices. Providers that take a region are priced per region; the others (one
 * location) with one call. A failed price keeps the rate the regions endpoint gave.
 */
export async function loadPricedVolumeRegions(
  api: VolumeRegionsApi,
  provider: string,
  options?: RequestOptions,
): Promise<VolumeRegions> {
  const regions = await api.getVolumeRegions(provider, options);
  const priced = new Map<string, number>();
  const price = (region?: string) =>
    api.getVolumePricing(region === undefined ? { provider } : { provider, region }, options).then(
      (pricing) => pricing.hourlyRatePerGb,
      () => undefined,
    );
  if (volumeProviderRules(provider)?.regionRequired) {
    const rates = await Promise.all(regions.regions.map((region) => price(region.id)));
    regions.regions.forEach((region, index) => {
      const rate = rates[index];
      if (rate !== undefined) {
        priced.set(region.id, rate);
      }
    });
  } else {
    const rate = await price();
    if (rate !== undefined) {
      for (const region of regions.regions) {
        priced.set(region.id, rate);
      }
    }
  }
  return applyVolumePricing(regions, (id) => priced.get(id));
}

/** Every provider's regions; a provider that fails carries its error instead. Never rejects. */
export async function loadVolumeFormRegions(
  api: VolumeRegionsApi,
  providers: readonly string[] = VOLUME_FORM_PROVIDERS,
  options?: RequestOptions,
): Promise<ProviderRegions[]> {
  return Promise.all(
    providers.map((provider) =>
      loadPricedVolumeRegions(api, provider, options).then(
        (regions): ProviderRegions => ({ provider, regions }),
        (error: unknown): ProviderRegions => ({
          provider,
          regions: null,
          error: error instanceof Error ? error.message : String(error),
        }),
      ),
    ),
  );
}
