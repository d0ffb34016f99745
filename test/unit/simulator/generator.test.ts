import * as assert from 'node:assert/strict';
import { generateCatalogue } from '../../simulator';

describe('simulator: catalogue generator', () => {
  const big = generateCatalogue({ groups: 300, offersPerGroup: 20 });
  const offers = big.flatMap((g) => g.offers);

  it('builds exactly groups × offersPerGroup, with unique group keys and offer ids', () => {
    assert.equal(big.length, 300);
    assert.ok(big.every((g) => g.offers.length === 20));
    assert.equal(new Set(big.map((g) => g.gpuType)).size, 300);
    assert.equal(new Set(offers.map((o) => `${o.provider}/${o.offerId}`)).size, 6000);
  });

  it('is deterministic per seed and differs across seeds', () => {
    assert.deepEqual(generateCatalogue({ groups: 300, offersPerGroup: 20 }), big);
    assert.deepEqual(generateCatalogue({ groups: 300, offersPerGroup: 20, seed: 1 }), big);
    const other = generateCatalogue({ groups: 300, offersPerGroup: 20, seed: 2 });
    assert.notDeepEqual(other, big);
    assert.deepEqual(
      other.map((g) => g.gpuType),
      big.map((g) => g.gpuType),
      'group names do not depend on the seed',
    );
  });

  it('is realistic: many providers and regions, spot, cluster, maintenance, CPU-only and no-cloud-init offers', () => {
    const providers = new Set(offers.map((o) => o.provider));
    assert.ok(providers.size >= 8, [...providers].join());
    assert.ok(new Set(offers.flatMap((o) => o.clusters)).size >= 20);
    const count = (predicate: (o: (typeof offers)[number]) => boolean): number =>
      offers.filter(predicate).length;
    const spot = offers.filter((o) => o.instanceType === 'SPOT');
    assert.ok(spot.length > 300, `spot ${spot.length}`);
    assert.ok(spot.every((o) => o.spot_price === o.price));
    assert.ok(offers.filter((o) => o.instanceType !== 'SPOT').every((o) => o.spot_price === undefined));
    const clusters = offers.filter((o) => o.instanceType === 'CLUSTER');
    assert.ok(clusters.length > 20);
    assert.ok(clusters.every((o) => o.provider === 'voltage-park' && o.gpuCount === 8));
    const maintenance = offers.filter((o) => o.maintenance);
    assert.ok(maintenance.length > 200 && maintenance.length < 1000, `maintenance ${maintenance.length}`);
    assert.ok(
      maintenance.some((o) => o.available),
      'maintenance offers can still say available',
    );
    assert.ok(count((o) => o.gpuCount === 0) >= 20);
    assert.ok(offers.filter((o) => o.gpuCount === 0).every((o) => o.gpu_memory === 0));
    const noCloudInit = count((o) => !o.supportsCloudInit);
    assert.ok(noCloudInit > 1500 && noCloudInit < 4500, `no cloud-init ${noCloudInit}`);
    assert.ok(
      offers.some((o) => o.clusters.some((c) => /^[0-9a-f]{8}:/.test(c))),
      'some prefixed regions',
    );
    assert.ok(offers.some((o) => o.offerId.endsWith('::spot')));
  });

  it('prices whole instances sensibly and keeps group aggregates consistent', () => {
    for (const group of big) {
      const prices = group.offers.map((o) => o.price);
      assert.equal(group.lowestPrice, Math.min(...prices));
      assert.equal(group.highestPrice, Math.max(...prices));
      assert.ok(group.lowestPrice <= group.averagePrice && group.averagePrice <= group.highestPrice);
      assert.equal(group.totalAvailable, group.offers.filter((o) => o.available).length);
      assert.ok(group.popularity >= 1 && group.popularity <= 100);
    }
    assert.ok(offers.every((o) => o.price > 0 && o.price < 120));
    const h100x8 = offers.filter((o) => o.instanceType !== 'SPOT' && o.name.startsWith('8x H100 SXM5'));
    assert.ok(h100x8.length > 0 && h100x8.every((o) => o.price > 10));
    assert.ok(offers.every((o) => o.os_options.length >= 1 && o.clusters.length >= 1));
  });

  it('starts with the live group keys and small catalogues stay valid', () => {
    const small = generateCatalogue({ groups: 5, offersPerGroup: 1, seed: 3 });
    assert.deepEqual(
      small.map((g) => g.gpuType),
      ['H100_SXM5', 'H100_PCIE', 'B200_SXM6', 'H200_SXM5', 'A100_80G_SXM4'],
    );
    assert.ok(small.every((g) => g.offers.length === 1));
  });
});
