import * as assert from 'node:assert/strict';
import { CancelledError } from '../../../src/core/api/errors';
import type { OfferPage } from '../../../src/core/domain/types';
import { countRequests, makeClient, useSimulator } from './harness';
import type { ClientHarness } from './harness';

const GROUPS = 250;

describe('SpheronClient catalogue paging (against a generated catalogue)', () => {
  const sim = useSimulator({ catalogue: { groups: GROUPS, offersPerGroup: 3, seed: 7 } });
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  it('loads every page sequentially, 100 groups a page by default, and counts the requests', async () => {
    const pages: OfferPage[] = [];
    const catalogue = await harness.client.listAllGpuOffers({}, { onPage: (page) => pages.push(page) });
    assert.equal(catalogue.groups.length, GROUPS);
    assert.equal(catalogue.totalGroups, GROUPS);
    assert.equal(new Set(catalogue.groups.map((group) => group.gpuType)).size, GROUPS);
    assert.equal(catalogue.requests, 3);
    assert.equal(countRequests(sim(), 'GET /api/gpu-offers'), 3);
    assert.deepEqual(
      pages.map((page) => [page.page, page.groups.length]),
      [
        [1, 100],
        [2, 100],
        [3, 50],
      ],
    );
    assert.deepEqual(
      harness.sent.map((request) => new URL(request.url).searchParams.get('page')),
      ['1', '2', '3'],
    );
    assert.ok(harness.sent.every((request) => new URL(request.url).searchParams.get('limit') === '100'));
    assert.ok(Math.abs(catalogue.fetchedAtMs - Date.now()) < 60_000);
  });

  it('goes on past a page whose every offer was unreadable', async () => {
    sim().injectFault({
      route: 'GET /api/gpu-offers',
      status: 200,
      times: 1,
      body: {
        data: [{ gpuType: 'BROKEN', offers: [{ provider: 'x', offerId: 'y', price: 'n/a' }] }],
        total: GROUPS,
        page: 1,
        limit: 100,
        totalPages: 3,
      },
    });
    const catalogue = await harness.client.listAllGpuOffers({});
    assert.equal(catalogue.requests, 3);
    assert.equal(catalogue.rejected, 1);
    assert.equal(catalogue.groups.length, GROUPS - 100);
  });

  it('honours a custom page size', async () => {
    const catalogue = await harness.client.listAllGpuOffers({}, { pageSize: 50 });
    assert.equal(catalogue.groups.length, GROUPS);
    assert.equal(catalogue.requests, 5);
  });

  it('waits out a 429 in the middle and counts the retried request', async () => {
    const pages: number[] = [];
    const catalogue = await harness.client.listAllGpuOffers(
      {},
      {
        onPage: (page) => {
          pages.push(page.page);
          if (page.page === 1) {
            sim().injectFault({
              route: 'GET /api/gpu-offers',
              status: 429,
              headers: { 'Retry-After': '2' },
              times: 1,
            });
          }
        },
      },
    );
    assert.equal(catalogue.groups.length, GROUPS);
    assert.equal(catalogue.requests, 4);
    assert.equal(countRequests(sim(), 'GET /api/gpu-offers'), 4);
    assert.deepEqual(harness.delays, [2_000]);
    assert.deepEqual(pages, [1, 2, 3]);
  });

  it('stops when aborted between pages', async () => {
    const controller = new AbortController();
    await assert.rejects(
      harness.client.listAllGpuOffers({}, { signal: controller.signal, onPage: () => controller.abort() }),
      CancelledError,
    );
    assert.equal(countRequests(sim(), 'GET /api/gpu-offers'), 1);
  });

  it('passes the query on every page', async () => {
    const catalogue = await harness.client.listAllGpuOffers({ instanceType: 'SPOT', sortBy: 'lowestPrice' });
    assert.ok(catalogue.groups.length > 0);
    for (const request of harness.sent) {
      const params = new URL(request.url).searchParams;
      assert.equal(params.get('instanceType'), 'SPOT');
      assert.equal(params.get('sortBy'), 'lowestPrice');
    }
    assert.ok(catalogue.groups.every((group) => group.offers.some((offer) => offer.instanceType === 'SPOT')));
  });
});
