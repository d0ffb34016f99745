import * as assert from 'node:assert/strict';
import type { SpheronClient } from '../../../src/core/api/client';
import type { VolumeRegions } from '../../../src/core/domain/types';
import {
  applyVolumePricing,
  loadPricedVolumeRegions,
  loadVolumeFormRegions,
  VOLUME_FORM_PROVIDERS,
} from '../../../src/core/volumes/volumeRegions';
import { makeClient, useSimulator } from '../deploy/simHarness';

const REGIONS: VolumeRegions = {
  hasAnyOffers: true,
  regions: [
    { id: 'a', name: 'A', hasGpuOffers: true, minSizeGb: 1, maxSizeGb: 100, hourlyRatePerGb: 0.001 },
    { id: 'b', name: 'B', hasGpuOffers: false, minSizeGb: 1, maxSizeGb: 100, hourlyRatePerGb: 0.002 },
  ],
};

describe('volume regions and prices for the form', function () {
  this.timeout(20_000);
  const sim = useSimulator();
  let client: SpheronClient;

  before(() => {
    client = makeClient(sim());
  });

  it('takes the pricing endpoint’s rate where it gives one', () => {
    const priced = applyVolumePricing(REGIONS, (id) => (id === 'a' ? 0.005 : undefined));
    assert.deepEqual(
      priced.regions.map((region) => region.hourlyRatePerGb),
      [0.005, 0.002],
    );
    assert.deepEqual(
      applyVolumePricing(REGIONS, () => Number.NaN),
      REGIONS,
    );
    assert.deepEqual(
      applyVolumePricing(REGIONS, () => 0),
      REGIONS,
    );
  });

  it('offers Voltage Park and DataCrunch, priced per region where the provider takes a region', async () => {
    assert.deepEqual([...VOLUME_FORM_PROVIDERS], ['voltage-park', 'data-crunch']);
    sim().resetRequestLog();
    const entries = await loadVolumeFormRegions(client);
    assert.deepEqual(
      entries.map((entry) => [entry.provider, entry.regions?.regions.map((region) => region.id)]),
      [
        ['voltage-park', ['Dallas, TX']],
        ['data-crunch', ['FIN-01', 'FIN-02', 'FIN-03']],
      ],
    );
    const log = sim().requestLog().byRoute;
    assert.equal(log['GET /api/volumes/regions'], 2);
    // One price for Voltage Park's single location, one per DataCrunch region.
    assert.equal(log['GET /api/volumes/pricing'], 4);
    assert.equal(entries[0]?.regions?.regions[0]?.hourlyRatePerGb, 0.000109);
    assert.equal(entries[1]?.regions?.regions[2]?.hourlyRatePerGb, 0.000274);
  });

  it('keeps each provider’s failure to itself', async () => {
    const entries = await loadVolumeFormRegions(client, ['voltage-park', 'no-such-provider']);
    assert.ok(entries[0]?.regions);
    assert.equal(entries[1]?.regions, null);
    assert.ok(entries[1]?.error && entries[1].error.length > 0);
    await assert.rejects(loadPricedVolumeRegions(client, 'no-such-provider'));
  });
});
