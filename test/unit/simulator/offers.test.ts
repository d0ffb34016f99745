import * as assert from 'node:assert/strict';
import type { Simulator, WireOfferPage } from '../../simulator';
import { startSimulator } from '../../simulator';
import { call, useSimulator } from './helpers';

function offers(sim: Simulator, query = ''): Promise<WireOfferPage> {
  return call<WireOfferPage>(sim, 'GET', `/api/gpu-offers${query}`, { key: null }).then((r) => {
    assert.equal(r.status, 200, r.text);
    return r.body;
  });
}

describe('simulator: gpu-offers (seed catalogue)', () => {
  const sim = useSimulator();

  it('pages over groups with the {data,total,page,limit,totalPages} envelope', async () => {
    const first = await offers(sim(), '?page=1&limit=3');
    assert.deepEqual(Object.keys(first).sort(), ['data', 'limit', 'page', 'total', 'totalPages']);
    assert.equal(first.total, 8);
    assert.equal(first.page, 1);
    assert.equal(first.limit, 3);
    assert.equal(first.totalPages, 3);
    assert.equal(first.data.length, 3);
    const last = await offers(sim(), '?page=3&limit=3');
    assert.equal(last.data.length, 2);
    const beyond = await offers(sim(), '?page=9&limit=3');
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.total, 8);
    const seen = new Set(
      [...first.data, ...(await offers(sim(), '?page=2&limit=3')).data, ...last.data].map((g) => g.gpuType),
    );
    assert.equal(seen.size, 8);
  });

  it('defaults to page 1, limit 10, most popular first', async () => {
    const page = await offers(sim());
    assert.equal(page.page, 1);
    assert.equal(page.limit, 10);
    assert.deepEqual(
      page.data.map((g) => g.gpuType),
      [
        'H100_SXM5',
        'B200_SXM6',
        'A100_80G_SXM4',
        'RTX5090_PCIE',
        'RTX4090_PCIE',
        'RTXPRO6000_PCIE',
        'L40S_PCIE',
        'CPU',
      ],
    );
  });

  it('serves the §8 example group with exact field names, snake_case included', async () => {
    const page = await offers(sim(), '?search=H100');
    const group = page.data[0];
    assert.equal(group.gpuType, 'H100_SXM5');
    assert.equal(group.lowestPrice, 2.91);
    assert.equal(group.highestPrice, 21.52);
    assert.equal(group.averagePrice, 12.215);
    assert.equal(group.totalAvailable, 2);
    assert.deepEqual([...group.providers].sort(), ['data-crunch', 'voltage-park']);
    const spot = group.offers.find((o) => o.offerId === 'dc-1h100-sxm5-spot');
    assert.deepEqual(spot, {
      provider: 'data-crunch',
      offerId: 'dc-1h100-sxm5-spot',
      name: '1x H100 SXM5 80GB (spot)',
      description: 'H100 SXM5 80GB, 30 vCPU, 120 GB RAM',
      vcpus: 30,
      memory: 120,
      storage: 500,
      gpuCount: 1,
      gpu_memory: 80,
      price: 2.91,
      spot_price: 2.91,
      available: true,
      maintenance: false,
      clusters: ['FIN-01'],
      os_options: ['Ubuntu 22.04 CUDA 12.4'],
      instanceType: 'SPOT',
      interconnectType: 'SXM5',
      interconnectDescription: 'NVLink SXM5',
      supportsCloudInit: true,
      extras: { deployment_type: 'vm', nvlink: true },
    });
    const cluster = group.offers.find((o) => o.instanceType === 'CLUSTER');
    assert.equal(cluster?.extras?.kubernetes_addon?.total_cost_per_hour, 0.5);
    assert.equal(cluster?.minimumRuntimeMinutes, 60);
    assert.equal('region' in (cluster ?? {}), false, 'live payload omits region');
    assert.equal('spot_price' in (cluster ?? {}), false);
  });

  it('has the suggested seed extras: a maintenance copy still available, cloud-init off on #5, a CPU node', async () => {
    const page = await offers(sim(), '?limit=50');
    const all = page.data.flatMap((g) => g.offers);
    assert.equal(all.length, 10);
    const maintenance = all.filter((o) => o.maintenance);
    assert.deepEqual(
      maintenance.map((o) => [o.offerId, o.available]),
      [['dc-1a100-80g-sxm4-fin03', true]],
    );
    assert.equal(all.find((o) => o.offerId === 'ses-l40s-1x-kc')?.supportsCloudInit, false);
    const cpu = all.find((o) => o.gpuCount === 0);
    assert.equal(cpu?.price, 0.12);
    assert.deepEqual(cpu?.clusters, ['us-central-3']);
  });

  it('searches gpuType, displayName and gpuModel with normalised fuzzy matching', async () => {
    assert.deepEqual(
      (await offers(sim(), '?search=rtx-4090')).data.map((g) => g.gpuType),
      ['RTX4090_PCIE'],
    );
    assert.deepEqual(
      (await offers(sim(), '?search=RTX%204090')).data.map((g) => g.gpuType),
      ['RTX4090_PCIE'],
    );
    assert.deepEqual((await offers(sim(), '?search=geforce')).data.map((g) => g.gpuType).sort(), [
      'RTX4090_PCIE',
      'RTX5090_PCIE',
    ]);
    assert.deepEqual(
      (await offers(sim(), '?search=pro%206000')).data.map((g) => g.gpuType),
      ['RTXPRO6000_PCIE'],
    );
    const none = await offers(sim(), '?search=zz-no-such-gpu');
    assert.equal(none.total, 0);
    assert.equal(none.totalPages, 0);
    assert.deepEqual(none.data, []);
  });

  it('sorts by lowestPrice, highestPrice and averagePrice, both orders', async () => {
    const asc = (await offers(sim(), '?sortBy=lowestPrice&sortOrder=asc&limit=20')).data.map(
      (g) => g.lowestPrice,
    );
    assert.deepEqual(
      asc,
      [...asc].sort((a, b) => a - b),
    );
    assert.equal(asc[0], 0.12);
    const desc = (await offers(sim(), '?sortBy=highestPrice&sortOrder=desc&limit=20')).data.map(
      (g) => g.highestPrice,
    );
    assert.deepEqual(
      desc,
      [...desc].sort((a, b) => b - a),
    );
    assert.equal(desc[0], 57.6071);
    const avg = (await offers(sim(), '?sortBy=averagePrice&limit=20')).data.map((g) => g.averagePrice);
    assert.deepEqual(
      avg,
      [...avg].sort((a, b) => a - b),
    );
    const popularDesc = (await offers(sim(), '?sortBy=popularity&sortOrder=desc&limit=20')).data.map(
      (g) => g.gpuType,
    );
    assert.equal(popularDesc[0], 'CPU', 'desc reverses the popularity ranking');
  });

  it('filters instanceType at group level and keeps the other offers nested', async () => {
    const spot = await offers(sim(), '?instanceType=SPOT');
    assert.deepEqual(
      spot.data.map((g) => g.gpuType),
      ['H100_SXM5'],
    );
    assert.deepEqual(spot.data[0].offers.map((o) => o.instanceType).sort(), ['CLUSTER', 'SPOT']);
    const cluster = await offers(sim(), '?instanceType=CLUSTER');
    assert.equal(cluster.total, 1);
    const dedicated = await offers(sim(), '?instanceType=DEDICATED');
    assert.equal(dedicated.total, 7);
    const bare = await offers(sim(), '?instanceType=BARE_METAL');
    assert.equal(bare.total, 0);
  });

  it('checks the group aggregates against the offers', async () => {
    for (const group of (await offers(sim(), '?limit=50')).data) {
      const prices = group.offers.map((o) => o.price);
      assert.equal(group.lowestPrice, Math.min(...prices));
      assert.equal(group.highestPrice, Math.max(...prices));
      assert.ok(group.lowestPrice <= group.averagePrice && group.averagePrice <= group.highestPrice);
      assert.deepEqual([...group.providers].sort(), [...new Set(group.offers.map((o) => o.provider))].sort());
    }
  });
});

describe('simulator: gpu-offers (6,000-offer catalogue)', function () {
  this.timeout(60_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ catalogue: { groups: 300, offersPerGroup: 20 }, rateLimit: { general: 0 } });
  });
  after(async () => {
    await sim.close();
  });

  it('pages through all 300 groups and 6,000 offers', async () => {
    const groups = new Set<string>();
    let offerCount = 0;
    const first = await offers(sim, '?limit=50');
    assert.equal(first.total, 300);
    assert.equal(first.totalPages, 6);
    for (let page = 1; page <= first.totalPages; page++) {
      const body = await offers(sim, `?page=${page}&limit=50&sortBy=lowestPrice`);
      for (const group of body.data) {
        groups.add(group.gpuType);
        offerCount += group.offers.length;
      }
    }
    assert.equal(groups.size, 300);
    assert.equal(offerCount, 6000);
  });

  it('filters the big catalogue by search and instance type', async () => {
    const h100 = await offers(sim, '?search=h100&limit=100');
    assert.ok(h100.total > 5);
    assert.ok(h100.data.every((g) => g.gpuType.includes('H100')));
    const spot = await offers(sim, '?instanceType=SPOT&limit=300');
    assert.ok(spot.total > 0 && spot.total < 300);
    assert.ok(spot.data.every((g) => g.offers.some((o) => o.instanceType === 'SPOT')));
  });
});
