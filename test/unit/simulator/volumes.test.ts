import * as assert from 'node:assert/strict';
import type { WireDeployment, WireVolume, WireVolumeList, WireVolumeRegion } from '../../simulator';
import { SEED_IDS } from '../../simulator';
import { call, createBody, useSimulator } from './helpers';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');

interface Regions {
  readonly hasAnyOffers: boolean;
  readonly regions: readonly WireVolumeRegion[];
}

const DC_H100 = {
  provider: 'data-crunch',
  offerId: 'dc-1h100-sxm5-spot',
  gpuType: 'H100_SXM5',
  instanceType: 'SPOT',
  region: 'FIN-01',
  operatingSystem: 'Ubuntu 22.04 CUDA 12.4',
};

const VP_CLUSTER = {
  provider: 'voltage-park',
  offerId: 'vp-h100-sxm5-8x-ib',
  gpuType: 'H100_SXM5',
  gpuCount: 8,
  instanceType: 'CLUSTER',
  region: 'Dallas, TX',
  operatingSystem: 'ubuntu-22.04',
};

describe('simulator: volumes', () => {
  const sim = useSimulator({ wallClock: () => T0, seedDeployments: false });

  async function runningDeployment(overrides: Record<string, unknown>): Promise<string> {
    sim().setBalance(10_000);
    const res = await call<WireDeployment>(sim(), 'POST', '/api/deployments', {
      body: createBody(overrides),
    });
    assert.equal(res.status, 201, res.text);
    const id = res.body.id ?? '';
    sim().setDeploymentStatus(id, 'running');
    return id;
  }

  async function createVolume(body: Record<string, unknown>): Promise<WireVolume> {
    const res = await call<WireVolume>(sim(), 'POST', '/api/volumes', { body });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  it('lists the seed volumes wrapped with paging fields', async () => {
    const res = await call<WireVolumeList>(sim(), 'GET', '/api/volumes');
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 2);
    assert.equal(res.body.page, 1);
    assert.equal(res.body.limit, 20);
    assert.equal(res.body.totalPages, 1);
    const vp = res.body.volumes.find((v) => v.id === SEED_IDS.voltageParkVolume);
    assert.deepEqual(
      { ...vp, createdAt: undefined },
      {
        id: '66f1c0ffee00000000000c01',
        volumeId: 'vp-vol-01',
        name: 'datasets-01',
        providerId: 'voltage-park',
        region: 'Dallas, TX',
        sizeInGb: 1024,
        usedCapacityBytes: 0,
        status: 'available',
        hourlyRate: 0.000109,
        attachedToDeploymentIds: [],
        createdAt: undefined,
      },
    );
    const dc = res.body.volumes.find((v) => v.id === SEED_IDS.dataCrunchVolume);
    assert.equal(dc?.providerId, 'data-crunch');
    assert.equal(dc?.region, 'FIN-01');
    const paged = await call<WireVolumeList>(sim(), 'GET', '/api/volumes?limit=1&page=2');
    assert.equal(paged.body.volumes.length, 1);
    assert.equal(paged.body.totalPages, 2);
  });

  it('reports regions with provider limits', async () => {
    const vp = await call<Regions>(sim(), 'GET', '/api/volumes/regions');
    assert.deepEqual(vp.body, {
      hasAnyOffers: true,
      regions: [
        {
          id: 'Dallas, TX',
          name: 'Dallas, TX',
          hasGpuOffers: true,
          minSizeGb: 1,
          maxSizeGb: 65536,
          hourlyRatePerGb: 0.000109,
        },
      ],
    });
    const dc = await call<Regions>(sim(), 'GET', '/api/volumes/regions?provider=data-crunch');
    assert.deepEqual(
      dc.body.regions.map((r) => [r.id, r.hasGpuOffers, r.maxSizeGb]),
      [
        ['FIN-01', true, 10240],
        ['FIN-02', true, 10240],
        ['FIN-03', true, 10240],
      ],
    );
    assert.equal((await call(sim(), 'GET', '/api/volumes/regions?provider=nope')).status, 400);
  });

  it('prices per GB-hour per provider', async () => {
    const vp = await call<{ provider: string; hourlyRatePerGb: number }>(
      sim(),
      'GET',
      '/api/volumes/pricing?provider=voltage-park',
    );
    assert.deepEqual(vp.body, { provider: 'voltage-park', hourlyRatePerGb: 0.000109 });
    const dc = await call<{ hourlyRatePerGb: number }>(
      sim(),
      'GET',
      '/api/volumes/pricing?provider=data-crunch&region=FIN-02',
    );
    assert.equal(dc.body.hourlyRatePerGb, 0.000274);
    assert.equal((await call(sim(), 'GET', '/api/volumes/pricing')).status, 400);
  });

  it('creates volumes within the provider limits', async () => {
    const vp = await createVolume({ name: 'big_data-1', sizeInGb: 65536, provider: 'voltage-park' });
    assert.equal(vp.region, 'Dallas, TX');
    assert.equal(vp.status, 'available');
    assert.match(vp.id, /^[0-9a-f]{24}$/);
    const dc = await createVolume({
      name: 'ckpt',
      sizeInGb: 10240,
      provider: 'data-crunch',
      region: 'FIN-03',
    });
    assert.equal(dc.region, 'FIN-03');
    const fetched = await call<WireVolume>(sim(), 'GET', `/api/volumes/${dc.id}`);
    assert.deepEqual(fetched.body, dc);
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['an uppercase name', { name: 'Data', sizeInGb: 10, provider: 'voltage-park' }, /lowercase/],
    ['a name with spaces', { name: 'my data', sizeInGb: 10, provider: 'voltage-park' }, /lowercase/],
    ['a 61-character name', { name: 'a'.repeat(61), sizeInGb: 10, provider: 'voltage-park' }, /1-60/],
    ['a fractional size', { name: 'x', sizeInGb: 1.5, provider: 'voltage-park' }, /integer/],
    [
      'a size over 64 TB on voltage-park',
      { name: 'x', sizeInGb: 65537, provider: 'voltage-park' },
      /between 1 and 65536/,
    ],
    [
      'a size over 10 TB on data-crunch',
      { name: 'x', sizeInGb: 10241, provider: 'data-crunch', region: 'FIN-01' },
      /10240/,
    ],
    ['a zero size', { name: 'x', sizeInGb: 0, provider: 'data-crunch', region: 'FIN-01' }, /between/],
    [
      'data-crunch without region',
      { name: 'x', sizeInGb: 10, provider: 'data-crunch' },
      /region is required/,
    ],
    [
      'an unknown region',
      { name: 'x', sizeInGb: 10, provider: 'data-crunch', region: 'FIN-09' },
      /Invalid region/,
    ],
    ['an unknown provider', { name: 'x', sizeInGb: 10, provider: 'tensordock' }, /provider must be one of/],
    [
      'sesterce without cloudId',
      { name: 'x', sizeInGb: 10, provider: 'sesterce', region: 'kansascity-usa-1' },
      /cloudId/,
    ],
  ];
  for (const [what, body, message] of invalid) {
    it(`refuses ${what}`, async () => {
      const res = await call(sim(), 'POST', '/api/volumes', { body });
      assert.equal(res.status, 400, res.text);
      assert.match(res.body.message, message);
    });
  }

  it('attaches a voltage-park volume to one running instance, one volume per instance', async () => {
    const deployment = await runningDeployment(VP_CLUSTER);
    const attach = await call<WireVolume>(
      sim(),
      'POST',
      `/api/volumes/${SEED_IDS.voltageParkVolume}/attach`,
      {
        body: { deploymentId: deployment },
      },
    );
    assert.equal(attach.status, 200, attach.text);
    assert.equal(attach.body.status, 'attached');
    assert.deepEqual(attach.body.attachedToDeploymentIds, [deployment]);

    const second = await createVolume({ name: 'second', sizeInGb: 100, provider: 'voltage-park' });
    const refused = await call(sim(), 'POST', `/api/volumes/${second.id}/attach`, {
      body: { deploymentId: deployment },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /one volume per instance/);

    const other = await runningDeployment(VP_CLUSTER);
    const shared = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.voltageParkVolume}/attach`, {
      body: { deploymentId: other },
    });
    assert.equal(shared.status, 400);
    assert.match(shared.body.message, /one instance at a time/);

    const again = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.voltageParkVolume}/attach`, {
      body: { deploymentId: deployment },
    });
    assert.equal(again.status, 400);
    assert.match(again.body.message, /already attached/);
  });

  it('shares a data-crunch volume between instances of one region only', async () => {
    const a = await runningDeployment(DC_H100);
    const b = await runningDeployment(DC_H100);
    for (const deploymentId of [a, b]) {
      const res = await call<WireVolume>(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
        body: { deploymentId },
      });
      assert.equal(res.status, 200, res.text);
    }
    const volume = await call<WireVolume>(sim(), 'GET', `/api/volumes/${SEED_IDS.dataCrunchVolume}`);
    assert.deepEqual(volume.body.attachedToDeploymentIds, [a, b]);

    const fin2 = await createVolume({
      name: 'fin2',
      sizeInGb: 10,
      provider: 'data-crunch',
      region: 'FIN-02',
    });
    const wrongRegion = await call(sim(), 'POST', `/api/volumes/${fin2.id}/attach`, {
      body: { deploymentId: a },
    });
    assert.equal(wrongRegion.status, 400);
    assert.match(wrongRegion.body.message, /same region/);
  });

  it('refuses to attach to a deployment that is not running, or of another provider', async () => {
    sim().setBalance(1000);
    const created = await call<WireDeployment>(sim(), 'POST', '/api/deployments', {
      body: createBody(DC_H100),
    });
    const deploying = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
      body: { deploymentId: created.body.id },
    });
    assert.equal(deploying.status, 400);
    assert.match(deploying.body.message, /running deployment \(deployment is deploying\)/);
    const vp = await runningDeployment(VP_CLUSTER);
    const mismatch = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
      body: { deploymentId: vp },
    });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.body.message, /does not match/);
    const missing = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
      body: {},
    });
    assert.equal(missing.status, 400);
    const unknown = await call(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
      body: { deploymentId: '66f1c0ffee0000000000dfff' },
    });
    assert.equal(unknown.status, 404);
  });

  it('detaches, refuses deleting an attached volume, then deletes', async () => {
    const deployment = await runningDeployment(DC_H100);
    const path = `/api/volumes/${SEED_IDS.dataCrunchVolume}`;
    await call(sim(), 'POST', `${path}/attach`, { body: { deploymentId: deployment } });
    const refused = await call(sim(), 'DELETE', path);
    assert.equal(refused.status, 400);
    assert.match(refused.body.message, /detach it before deleting/);
    const detach = await call<WireVolume>(sim(), 'POST', `${path}/detach`, {
      body: { deploymentId: deployment },
    });
    assert.equal(detach.status, 200);
    assert.equal(detach.body.status, 'available');
    const notAttached = await call(sim(), 'POST', `${path}/detach`, { body: { deploymentId: deployment } });
    assert.equal(notAttached.status, 400);
    const del = await call<{ success: boolean }>(sim(), 'DELETE', path);
    assert.deepEqual(del.body, { success: true });
    assert.equal((await call(sim(), 'GET', path)).status, 404);
  });

  it('renames and grows a volume through PATCH, refusing shrinking and other fields', async () => {
    const path = `/api/volumes/${SEED_IDS.voltageParkVolume}`;
    const res = await call<WireVolume>(sim(), 'PATCH', path, {
      body: { name: 'datasets-02', sizeInGb: 2048 },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'datasets-02');
    assert.equal(res.body.sizeInGb, 2048);
    assert.equal((await call(sim(), 'PATCH', path, { body: { sizeInGb: 1000 } })).status, 400);
    assert.equal((await call(sim(), 'PATCH', path, { body: { region: 'x' } })).status, 400);
    assert.equal((await call(sim(), 'PATCH', path, { body: { name: 'Bad Name' } })).status, 400);
  });

  it('filters the list by status', async () => {
    const deployment = await runningDeployment(DC_H100);
    await call(sim(), 'POST', `/api/volumes/${SEED_IDS.dataCrunchVolume}/attach`, {
      body: { deploymentId: deployment },
    });
    const attached = await call<WireVolumeList>(sim(), 'GET', '/api/volumes?status=attached');
    assert.deepEqual(
      attached.body.volumes.map((v) => v.id),
      [SEED_IDS.dataCrunchVolume],
    );
    const available = await call<WireVolumeList>(sim(), 'GET', '/api/volumes?status=available');
    assert.deepEqual(
      available.body.volumes.map((v) => v.id),
      [SEED_IDS.voltageParkVolume],
    );
  });

  it('attaches at volume creation when deploymentId is given', async () => {
    const deployment = await runningDeployment(DC_H100);
    const volume = await createVolume({
      name: 'scratch',
      sizeInGb: 50,
      provider: 'data-crunch',
      region: 'FIN-01',
      deploymentId: deployment,
    });
    assert.deepEqual(volume.attachedToDeploymentIds, [deployment]);
    assert.equal(volume.status, 'attached');
  });
});
