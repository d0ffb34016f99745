import * as assert from 'node:assert/strict';
import type { WireDeployment, WireOfferPage } from '../../simulator';
import { generateCatalogue } from '../../simulator';
import { call, createBody, useSimulator } from './helpers';

/** A frozen wall clock: only advanceClock moves time. */
const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface HealthBody {
  readonly health: {
    readonly overallHealth: string;
    readonly controlPlaneNodes: { healthy: number; total: number; status: string };
    readonly workerNodes: { healthy: number; total: number; status: string };
    readonly networkComponents: { healthy: number; total: number; status: string };
  };
}

const CLUSTER = {
  provider: 'voltage-park',
  offerId: 'vp-h100-sxm5-8x-ib',
  gpuType: 'H100_SXM5',
  gpuCount: 8,
  region: 'Dallas, TX',
  operatingSystem: 'ubuntu-22.04',
  instanceType: 'CLUSTER',
  name: 'k8s-cluster',
};

describe('simulator: the Kubernetes add-on', () => {
  const sim = useSimulator({ wallClock: () => T0, deployDelaySeconds: 60, kubernetesReadySeconds: 120 });

  async function createCluster(addon: Record<string, unknown> | undefined): Promise<WireDeployment> {
    const res = await call<WireDeployment>(sim(), 'POST', '/api/deployments', {
      body: createBody({ ...CLUSTER, ...(addon ? { kubernetesAddon: addon } : {}) }),
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  async function health(clusterId: string) {
    return call<HealthBody>(sim(), 'GET', `/api/kubernetes/${clusterId}/health`);
  }

  it('gives a cluster created with the add-on a UUID cluster id, and bills the add-on with it', async () => {
    const cluster = await createCluster({ version: '1.35' });
    assert.ok(cluster.kubernetesAddon);
    assert.equal(cluster.kubernetesAddon.version, '1.35');
    assert.match(cluster.kubernetesAddon.clusterId, UUID);
    // 21.52 for the machine + 0.5 for the add-on (the offer's total_cost_per_hour).
    assert.equal(cluster.hourlyRate, 22.02);
    const listed = await call<WireDeployment[]>(sim(), 'GET', '/api/deployments');
    assert.deepEqual(listed.body.find((d) => d.id === cluster.id)?.kubernetesAddon, cluster.kubernetesAddon);
    const plain = await createCluster(undefined);
    assert.equal(plain.kubernetesAddon, null);
    assert.equal(plain.hourlyRate, 21.52);
  });

  it('reports the kubeconfig an admin sets on the cluster, and nothing by default', async () => {
    const cluster = await createCluster({ version: '1.35' });
    assert.ok(cluster.kubernetesAddon);
    const { clusterId } = cluster.kubernetesAddon;
    assert.equal('kubeconfig' in cluster.kubernetesAddon, false);
    const setKubeconfig = (body: unknown, id = clusterId) =>
      fetch(`${sim().url}/__sim/kubernetes/${id}/kubeconfig`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await setKubeconfig({ kubeconfig: 'apiVersion: v1\n' })).status, 200);
    const got = await call<WireDeployment>(sim(), 'GET', `/api/deployments/${cluster.id}`);
    assert.equal(got.body.kubernetesAddon?.kubeconfig, 'apiVersion: v1\n');
    assert.equal((await setKubeconfig({ kubeconfig: 7 })).status, 400);
    assert.equal((await setKubeconfig({ kubeconfig: 'x' }, 'no-such-cluster')).status, 404);
    assert.equal((await setKubeconfig({ kubeconfig: null })).status, 200);
    const cleared = await call<WireDeployment>(sim(), 'GET', `/api/deployments/${cluster.id}`);
    assert.equal(cleared.body.kubernetesAddon?.kubeconfig, undefined);
  });

  it('reports provisioning → healthy over simulated time, degraded and unavailable on faults', async () => {
    const cluster = await createCluster({ version: '1.34', authentication_config_b64: 'e30=' });
    const clusterId = cluster.kubernetesAddon?.clusterId ?? '';
    const deploying = await health(clusterId);
    assert.equal(deploying.status, 200, deploying.text);
    assert.equal(deploying.body.health.overallHealth, 'provisioning');
    assert.equal(deploying.body.health.controlPlaneNodes.healthy, 0);

    sim().advanceClock(60);
    const justRunning = await health(clusterId);
    assert.equal(justRunning.body.health.overallHealth, 'provisioning');
    assert.equal(justRunning.body.health.controlPlaneNodes.healthy, 1);

    sim().advanceClock(119);
    assert.equal((await health(clusterId)).body.health.overallHealth, 'provisioning');
    sim().advanceClock(1);
    const healthy = await health(clusterId);
    assert.deepEqual(healthy.body.health, {
      controlPlaneNodes: { healthy: 1, total: 1, status: 'healthy' },
      workerNodes: { healthy: 8, total: 8, status: 'healthy' },
      networkComponents: { healthy: 2, total: 2, status: 'healthy' },
      overallHealth: 'healthy',
    });

    sim().setClusterFault(clusterId, 'degraded');
    const degraded = await health(clusterId);
    assert.equal(degraded.body.health.overallHealth, 'degraded');
    assert.deepEqual(degraded.body.health.workerNodes, { healthy: 7, total: 8, status: 'degraded' });

    const admin = await fetch(`${sim().url}/__sim/kubernetes/${clusterId}/fault`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fault: 'unavailable' }),
    });
    assert.equal(admin.status, 200);
    const unavailable = await health(clusterId);
    assert.equal(unavailable.body.health.overallHealth, 'unavailable');
    assert.equal(unavailable.body.health.controlPlaneNodes.status, 'unhealthy');

    sim().setClusterFault(clusterId, null);
    assert.equal((await health(clusterId)).body.health.overallHealth, 'healthy');
  });

  it('ends the cluster with its deployment: health answers 404 once terminated', async () => {
    const cluster = await createCluster({ version: '1.35' });
    const clusterId = cluster.kubernetesAddon?.clusterId ?? '';
    sim().advanceClock(61 * 60);
    assert.equal((await health(clusterId)).body.health.overallHealth, 'healthy');
    const terminated = await call(sim(), 'DELETE', `/api/deployments/${cluster.id}`);
    assert.equal(terminated.status, 200, terminated.text);
    const gone = await health(clusterId);
    assert.equal(gone.status, 404);
    assert.match((gone.body as unknown as { message: string }).message, /Cluster/);
    assert.equal(typeof (gone.body as unknown as { error: string }).error, 'string');
  });

  it('answers 404 for the deployment’s own id and for an unknown cluster id', async () => {
    const cluster = await createCluster({ version: '1.35' });
    assert.equal((await health(cluster.id ?? '')).status, 404);
    assert.equal((await health('5e0c1a57-0000-4000-8000-ffffffffffff')).status, 404);
  });

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      'on a plain VM',
      { kubernetesAddon: { version: '1.35' } },
      /only available on Voltage Park H100 SXM5 clusters/,
    ],
    [
      'a version Voltage Park does not offer',
      { ...CLUSTER, kubernetesAddon: { version: '1.20' } },
      /Kubernetes version 1\.20 is not available; available: 1\.35, 1\.34/,
    ],
    [
      'without a version',
      { ...CLUSTER, kubernetesAddon: { authentication_config_b64: 'e30=' } },
      /needs a version string/,
    ],
    [
      'an authentication configuration that is not base64',
      { ...CLUSTER, kubernetesAddon: { version: '1.35', authentication_config_b64: 'not base64!' } },
      /base64/,
    ],
  ];
  for (const [what, overrides, message] of refusals) {
    it(`refuses the add-on ${what} with the API's error shape, creating nothing`, async () => {
      const before = sim().state.deployments.length;
      const res = await call(sim(), 'POST', '/api/deployments', { body: createBody(overrides) });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error, 'Validation error');
      assert.match(res.body.message, message);
      assert.equal(sim().state.deployments.length, before);
    });
  }

  it('serves kubernetes_addon only on Voltage Park H100 SXM5 cluster offers', async () => {
    const res = await call<WireOfferPage>(sim(), 'GET', '/api/gpu-offers?limit=50');
    const offers = res.body.data.flatMap((group) => group.offers.map((offer) => ({ group, offer })));
    const withAddon = offers.filter(({ offer }) => offer.extras?.kubernetes_addon);
    assert.deepEqual(
      withAddon.map(({ offer }) => offer.offerId),
      ['vp-h100-sxm5-8x-ib'],
    );
    const generated = generateCatalogue({ groups: 300, offersPerGroup: 20, seed: 7 }).flatMap((group) =>
      group.offers.map((offer) => ({ group, offer })),
    );
    const generatedWithAddon = generated.filter(({ offer }) => offer.extras?.kubernetes_addon);
    assert.ok(generatedWithAddon.length > 0);
    for (const { group, offer } of generatedWithAddon) {
      assert.equal(offer.provider, 'voltage-park', offer.offerId);
      assert.equal(offer.instanceType, 'CLUSTER', offer.offerId);
      assert.match(group.gpuType, /^H100_SXM5/, offer.offerId);
    }
  });
});
