// Finding the offer a deploy form is for, and listing the offers the palette's "Deploy GPU
// Instance…" picks from. The create body needs the offer entry and its group's gpuType verbatim,
// so a form is always opened from the catalogue, never from a copy a caller made.
import type { Offer, OfferGroup } from '../domain/types';
import { formatCount, formatRate } from '../model/format';
import { offerHardwareLabel, regionLabel } from '../model/offers';

/** What identifies one offer entry across catalogue reloads. */
export interface OfferRef {
  readonly provider: string;
  readonly offerId: string;
  /** The group's gpuType; narrows the search when an offer id appears in two groups. */
  readonly gpuType?: string;
}

export interface CatalogueOffer {
  readonly offer: Offer;
  readonly group: { readonly gpuType: string; readonly displayName: string };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 500;
}

/**
 * The offer a command was started with: an offer row (`{kind: 'offer', offer}`), an offer, or
 * `{provider, offerId[, gpuType]}` (tests and other commands).
 */
export function offerRefFrom(arg: unknown): OfferRef | undefined {
  if (typeof arg !== 'object' || arg === null) {
    return undefined;
  }
  const record = arg as Record<string, unknown>;
  const source =
    record['kind'] === 'offer' && typeof record['offer'] === 'object' && record['offer'] !== null
      ? (record['offer'] as Record<string, unknown>)
      : record;
  const { provider, offerId, gpuType } = source;
  if (!isNonEmptyString(provider) || !isNonEmptyString(offerId)) {
    return undefined;
  }
  return isNonEmptyString(gpuType) ? { provider, offerId, gpuType } : { provider, offerId };
}

/** One key per offer entry: a second "Deploy…" on the same offer reveals its panel. */
export function offerKey(ref: OfferRef): string {
  return JSON.stringify([ref.provider, ref.offerId]);
}

/** The entry and its group, or undefined when the catalogue no longer has it. */
export function findOfferInCatalogue(
  groups: readonly OfferGroup[],
  ref: OfferRef,
): CatalogueOffer | undefined {
  let fallback: CatalogueOffer | undefined;
  for (const group of groups) {
    for (const offer of group.offers) {
      if (offer.provider !== ref.provider || offer.offerId !== ref.offerId) {
        continue;
      }
      const found = { offer, group: { gpuType: group.gpuType, displayName: group.displayName } };
      if (ref.gpuType === undefined || group.gpuType === ref.gpuType) {
        return found;
      }
      fallback ??= found;
    }
  }
  return fallback;
}

/** What the tree marks `deployable`, and available at the provider. */
export function isDeployableOffer(offer: Pick<Offer, 'maintenance' | 'available'>): boolean {
  return !offer.maintenance && offer.available;
}

export interface OfferPick {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly ref: OfferRef;
  readonly pricePerHour: number;
}

/** Every deployable offer, cheapest first: `$2.39/h · RTX PRO 6000 1× 96 GB`, `provider · region · TYPE`. */
export function deployableOfferPicks(groups: readonly OfferGroup[]): OfferPick[] {
  const picks: OfferPick[] = [];
  for (const group of groups) {
    for (const offer of group.offers) {
      if (!isDeployableOffer(offer)) {
        continue;
      }
      const regions = offer.regions.map(regionLabel);
      const regionText =
        regions.length === 0
          ? 'no region listed'
          : regions.length <= 3
            ? regions.join(', ')
            : `${regions.slice(0, 3).join(', ')} +${regions.length - 3} more`;
      picks.push({
        // A CPU group is already called "CPU only", which is also its hardware label.
        label: `${formatRate(offer.pricePerHour)} · ${group.displayName}${offer.gpuCount === 0 ? '' : ` ${offerHardwareLabel(offer)}`}`,
        description: `${offer.provider} · ${regionText} · ${offer.instanceType.toUpperCase()}`,
        detail: `${formatCount(offer.vcpus)} vCPU · ${formatCount(offer.memoryGb)} GB RAM · ${formatCount(offer.storageGb)} GB disk`,
        ref: { provider: offer.provider, offerId: offer.offerId, gpuType: group.gpuType },
        pricePerHour: offer.pricePerHour,
      });
    }
  }
  return picks.sort(
    (a, b) =>
      a.pricePerHour - b.pricePerHour ||
      a.label.localeCompare(b.label) ||
      a.ref.provider.localeCompare(b.ref.provider) ||
      a.ref.offerId.localeCompare(b.ref.offerId),
  );
}
