// Where the contract is unsure of the live shapes (§9.2), the client accepts every documented
// variant, and keeps unknown values visible instead of coercing them.
import * as assert from 'node:assert/strict';
import * as fixtures from './fixtures';
import { makeClient, useSimulator } from './harness';
import type { ClientHarness } from './harness';

describe('SpheronClient tolerance (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    sim().configure({ idField: 'id', listShape: 'bare' });
    await harness.client.dispose();
  });

  it("reads ids sent as '_id'", async () => {
    sim().configure({ idField: '_id' });
    const deployments = await harness.client.listDeployments({});
    assert.ok(deployments.length > 0);
    for (const deployment of deployments) {
      assert.match(deployment.id, /^[0-9a-f]{24}$/);
    }
    assert.equal((await harness.client.getDeployment(deployments[0].id)).id, deployments[0].id);
    const keys = await harness.client.listSshKeys();
    assert.ok(keys.length > 0 && keys.every((key) => key.id.length > 0));
    const teams = await harness.client.listTeams();
    assert.ok(teams.length > 0 && teams.every((team) => team.id.length > 0));
  });

  it('accepts a 204 with no body when deleting an SSH key (the real key is deleted)', async () => {
    const [key] = await harness.client.listSshKeys();
    assert.ok(key);
    sim().injectFault({ route: 'DELETE /api/ssh-keys/:id', status: 204, afterHandler: true, times: 1 });
    await harness.client.deleteSshKey(key.id);
    const remaining = await harness.client.listSshKeys();
    assert.ok(!remaining.some((candidate) => candidate.id === key.id));
  });

  it('reads wrapped lists', async () => {
    sim().configure({ listShape: 'wrapped' });
    assert.ok((await harness.client.listDeployments({})).length > 0);
    assert.ok((await harness.client.listSshKeys()).length > 0);
  });

  it('keeps an unknown status as unknown with the raw text, tolerating extra fields', async () => {
    const [deployment] = await harness.client.listDeployments({});
    sim().setDeploymentStatus(deployment.id, 'hibernating');
    const fetched = await harness.client.getDeployment(deployment.id);
    assert.equal(fetched.status, 'unknown');
    assert.equal(fetched.rawStatus, 'hibernating');

    sim().injectFault({
      route: 'GET /api/deployments/:id',
      status: 200,
      body: {
        ...fixtures.runningDeployment,
        portForwards: [{ external: 2222, internal: 22 }],
        brandNew: { a: 1 },
      },
    });
    const withExtras = await harness.client.getDeployment(fixtures.runningDeployment.id);
    assert.equal(withExtras.status, 'running');
  });

  it('accepts a create answered with 200 and the deployment wrapped', async () => {
    sim().injectFault({
      route: 'POST /api/deployments',
      status: 200,
      body: { message: 'Deployment created', deployment: fixtures.createdDeployment },
    });
    const created = await harness.client.createDeployment({
      provider: 'spheron-ai',
      offerId: 'x',
      gpuType: 'A4000_PCIE',
      gpuCount: 1,
      region: 'us-central-1',
      operatingSystem: 'ubuntu-22.04',
      instanceType: 'DEDICATED',
      teamId: 't',
      sshKeyId: 'key1',
    });
    assert.equal(created.id, fixtures.createdDeployment.id);
  });

  it('keeps an unknown instance type verbatim and takes regions from region when clusters is absent', async () => {
    const group = fixtures.offerPage.data[0];
    const { clusters: _clusters, ...offer } = group.offers[0];
    sim().injectFault({
      route: 'GET /api/gpu-offers',
      status: 200,
      body: {
        ...fixtures.offerPage,
        data: [{ ...group, offers: [{ ...offer, instanceType: 'BARE_METAL', region: 'FIN-09' }] }],
      },
    });
    const page = await harness.client.listGpuOffers({ page: 1, limit: 10 });
    const parsed = page.groups[0].offers[0];
    assert.equal(parsed.instanceType, 'BARE_METAL');
    assert.deepEqual(parsed.regions, ['FIN-09']);
  });

  it('keeps the rest of the catalogue when one offer is unusable, counting and logging it', async () => {
    const group = fixtures.offerPage.data[0];
    const good = group.offers[0];
    sim().injectFault({
      route: 'GET /api/gpu-offers',
      status: 200,
      body: {
        ...fixtures.offerPage,
        data: [
          {
            ...group,
            offers: [
              { ...good, price: '2.39', vcpus: '16' },
              { ...good, offerId: 'broken', price: null },
            ],
          },
        ],
      },
    });
    const catalogue = await harness.client.listAllGpuOffers({});
    assert.equal(catalogue.rejected, 1);
    assert.deepEqual(
      catalogue.groups.flatMap((kept) =>
        kept.offers.map((offer) => [offer.offerId, offer.pricePerHour, offer.vcpus]),
      ),
      [[good.offerId, 2.39, 16]],
    );
    assert.ok(
      harness.logLines.some((line) =>
        /^warn GET \/api\/gpu-offers: left out item data\.0\.offers\.1 \(“broken”\)/.test(line),
      ),
    );
  });

  it('keeps the readable instances of a list and counts the one it left out', async () => {
    const listed = await harness.client.listDeployments({});
    assert.ok(listed.length > 0);
    assert.equal(listed.rejected, 0);
    sim().injectFault({
      route: 'GET /api/deployments',
      status: 200,
      body: [fixtures.runningDeployment, { ...fixtures.runningDeployment, id: 'no-status', status: null }],
    });
    const deployments = await harness.client.listDeployments({});
    assert.deepEqual(
      deployments.map((deployment) => deployment.id),
      [fixtures.runningDeployment.id],
    );
    assert.equal(deployments.rejected, 1);
  });
});
