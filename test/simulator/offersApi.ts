// GET /api/providers and GET /api/gpu-offers (both public).
import type { OfferSortBy } from './catalogue';
import type { SimCore } from './core';
import type { ApiResponse, RequestContext } from './http';
import { ok } from './http';

function positiveInt(value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') {
    return fallback;
  }
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

const SORT_BY: Readonly<Record<string, OfferSortBy>> = {
  popularity: 'popularity',
  lowestPrice: 'lowestPrice',
  highestPrice: 'highestPrice',
  averagePrice: 'averagePrice',
  // The relay's e2e sends `price`.
  price: 'lowestPrice',
};

export function listProviders(core: SimCore): ApiResponse {
  return ok(core.catalogue.providers);
}

export function listGpuOffers(core: SimCore, ctx: RequestContext): ApiResponse {
  const q = ctx.query;
  const search = q.get('search')?.trim();
  const instanceType = q.get('instanceType')?.trim().toUpperCase();
  return {
    status: 200,
    rawJson: core.catalogue.pageJson({
      page: positiveInt(q.get('page'), 1),
      limit: positiveInt(q.get('limit'), 10),
      search: search || undefined,
      sortBy: SORT_BY[q.get('sortBy') ?? ''] ?? 'popularity',
      sortOrder: q.get('sortOrder')?.toLowerCase() === 'desc' ? 'desc' : 'asc',
      instanceType: instanceType || undefined,
    }),
  };
}
