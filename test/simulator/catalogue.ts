// The GPU offer catalogue, indexed once so that every gpu-offers page is a slice and a string join.
import type { InstanceType, WireOffer, WireOfferGroup } from './types';

export interface GroupDraft {
  readonly gpuType: string;
  readonly gpuModel: string;
  readonly baseGpuType: string;
  readonly displayName: string;
  readonly popularity: number;
  readonly offers: readonly WireOffer[];
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** Computes the group aggregates from its offers (offers sorted by price, as the live payload reads). */
export function finalizeGroup(draft: GroupDraft): WireOfferGroup {
  const offers = [...draft.offers].sort((a, b) => a.price - b.price || a.offerId.localeCompare(b.offerId));
  const prices = offers.map((o) => o.price);
  const providers = [...new Set(offers.map((o) => o.provider))];
  const variants = [...new Set(offers.map((o) => o.interconnectType))];
  return {
    gpuType: draft.gpuType,
    gpuModel: draft.gpuModel,
    baseGpuType: draft.baseGpuType,
    displayName: draft.displayName,
    interconnectVariants: variants,
    hasMultipleVariants: variants.length > 1,
    popularity: draft.popularity,
    totalAvailable: offers.filter((o) => o.available).length,
    lowestPrice: prices.length ? Math.min(...prices) : 0,
    highestPrice: prices.length ? Math.max(...prices) : 0,
    averagePrice: prices.length ? roundTo(prices.reduce((a, b) => a + b, 0) / prices.length, 4) : 0,
    providers,
    offers,
  };
}

export type OfferSortBy = 'popularity' | 'lowestPrice' | 'highestPrice' | 'averagePrice';

export interface OfferPageQuery {
  readonly page: number;
  readonly limit: number;
  readonly search: string | undefined;
  readonly sortBy: OfferSortBy;
  readonly sortOrder: 'asc' | 'desc';
  readonly instanceType: string | undefined;
}

export interface OfferMatch {
  readonly group: WireOfferGroup;
  readonly offer: WireOffer;
}

/** Lower-case alphanumerics only, so `rtx-4090`, `RTX 4090` and `RTX4090_PCIE` compare. */
export function normaliseSearch(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const SORT_KEYS: readonly OfferSortBy[] = ['popularity', 'lowestPrice', 'highestPrice', 'averagePrice'];

export class Catalogue {
  readonly groups: readonly WireOfferGroup[];
  /** Distinct provider slugs, sorted. */
  readonly providers: readonly string[];
  readonly offerCount: number;
  /** Each group's JSON as UTF-8, encoded once. */
  private readonly groupJson: readonly Buffer[];
  private readonly searchText: readonly string[];
  private readonly instanceTypes: readonly ReadonlySet<string>[];
  /** Group indexes in ascending order of each sort key (ties by gpuType). */
  private readonly ascending: ReadonlyMap<OfferSortBy, readonly number[]>;
  private readonly offersByKey: ReadonlyMap<string, OfferMatch>;

  constructor(groups: readonly WireOfferGroup[]) {
    this.groups = groups;
    this.groupJson = groups.map((g) => Buffer.from(JSON.stringify(g)));
    this.searchText = groups.map((g) =>
      [g.gpuType, g.displayName, g.gpuModel].map(normaliseSearch).join('\n'),
    );
    this.instanceTypes = groups.map((g) => new Set(g.offers.map((o) => o.instanceType)));
    const offers = new Map<string, OfferMatch>();
    const providers = new Set<string>();
    let count = 0;
    for (const group of groups) {
      for (const offer of group.offers) {
        offers.set(offerKey(offer.provider, offer.offerId), { group, offer });
        providers.add(offer.provider);
        count++;
      }
    }
    this.offersByKey = offers;
    this.providers = [...providers].sort();
    this.offerCount = count;
    const indexes = groups.map((_, i) => i);
    const byType = (i: number, j: number): number => (groups[i].gpuType < groups[j].gpuType ? -1 : 1);
    const ascending = new Map<OfferSortBy, number[]>();
    for (const key of SORT_KEYS) {
      // Popularity ranks: "ascending" means rank 1 (the most popular) first.
      const value = (i: number): number => (key === 'popularity' ? -groups[i].popularity : groups[i][key]);
      ascending.set(
        key,
        [...indexes].sort((i, j) => value(i) - value(j) || byType(i, j)),
      );
    }
    this.ascending = ascending;
  }

  findOffer(provider: string, offerId: string): OfferMatch | undefined {
    return this.offersByKey.get(offerKey(provider, offerId));
  }

  /** Whether any offer of `provider` lists `region` in its clusters. */
  hasOffersIn(provider: string, region: string): boolean {
    return this.groups.some((g) =>
      g.offers.some((o) => o.provider === provider && o.clusters.includes(region)),
    );
  }

  /** The JSON bytes of one gpu-offers page: `{data,total,page,limit,totalPages}`. */
  pageJson(query: OfferPageQuery): Buffer {
    const order = this.ascending.get(query.sortBy) ?? [];
    const needle = query.search ? normaliseSearch(query.search) : '';
    const type = query.instanceType;
    const selected: number[] = [];
    for (const i of order) {
      if (needle && !this.searchText[i].includes(needle)) {
        continue;
      }
      if (type && !this.instanceTypes[i].has(type)) {
        continue;
      }
      selected.push(i);
    }
    if (query.sortOrder === 'desc') {
      selected.reverse();
    }
    const start = (query.page - 1) * query.limit;
    const total = selected.length;
    const parts: Buffer[] = [Buffer.from('{"data":[')];
    for (const [n, i] of selected.slice(start, start + query.limit).entries()) {
      if (n > 0) {
        parts.push(COMMA);
      }
      parts.push(this.groupJson[i]);
    }
    parts.push(
      Buffer.from(
        `],"total":${total},"page":${query.page},"limit":${query.limit},"totalPages":${Math.ceil(total / query.limit)}}`,
      ),
    );
    return Buffer.concat(parts);
  }
}

const COMMA = Buffer.from(',');

function offerKey(provider: string, offerId: string): string {
  return `${provider}\u0000${offerId}`;
}

export const INSTANCE_TYPES: readonly InstanceType[] = ['SPOT', 'DEDICATED', 'CLUSTER'];
