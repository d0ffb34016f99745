// The add-on clusters' health in the Instances view, against the simulator through the real client.
import * as assert from 'node:assert/strict';
import type { Deployment } from '../../../src/core/domain/types';
import {
  ClusterHealthCache,
  clusterHealthBrief,
  withClusterHealth,
} from '../../../src/core/model/clusterHealth';
import { buildInstanceNodes } from '../../../src/core/model/instances';
import type { InstanceNode, ModelNode } from '../../../src/core/model/nodes';
import {
  countRequests,
  createRequestFor,
  currentTeamId,
  findOffer,
  makeClient,
  newPublicKey,
  useSimulator,
  type ClientHarness,
} from '../api/harness';

const T0 = Date.parse('2026-11-20T12:00:00.000Z');
const HEALTH_ROUTE = 'GET /api/kubernetes/:id/health';
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function instanceRow(nodes: readonly ModelNode[], id: string): InstanceNode {
  const row = nodes.find(
    (node): node is InstanceNode => node.kind === 'instance' && node.deployment.id === id,
  );
  assert.ok(row, `no row for ${id}`);
  return row;
}

describe('model/clusterHealth (against the simulator)', () => {
  const sim = useSimulator({ wallClock: () => T0, deployDelaySeconds: 60, kubernetesReadySeconds: 120 });
  let harness: ClientHarness;
  let cache: ClusterHealthCache;
  let budgetWaitMs = 0;

  beforeEach(() => {
    harness = makeClient(sim());
    budgetWaitMs = 0;
    cache = new ClusterHealthCache({
      getClusterHealth: (clusterId, options) => harness.client.getClusterHealth(clusterId, options),
      now: () => sim().nowMs(),
      backgroundWaitMs: () => budgetWaitMs,
    });
  });
  afterEach(async () => {
    cache.dispose();
    await harness.client.dispose();
  });

  async function deploy(offerId: string, addon: boolean): Promise<Deployment> {
    const teamId = await currentTeamId(harness.client);
    return harness.client.createDeployment(
      createRequestFor(await findOffer(harness.client, offerId), teamId, {
        name: `${offerId}-${addon ? 'k8s' : 'plain'}`,
        sshPublicKey: newPublicKey(),
        ...(addon ? { kubernetesAddon: { version: '1.35' } } : {}),
      }),
    );
  }

  async function list(): Promise<Deployment[]> {
    return harness.client.listDeployments({ teamId: await currentTeamId(harness.client) });
  }

  function rows(deployments: readonly Deployment[]): ModelNode[] {
    return withClusterHealth(
      buildInstanceNodes(deployments, { nowMs: sim().nowMs(), showEnded: false }),
      (id) => cache.get(id),
      clock,
    );
  }

  it('shows provisioning, then healthy, in the row’s description and tooltip; the list never waits for it', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    let deployments = await list();
    const pending = cache.refresh(deployments);
    // Before any answer the row is already there, saying it is checking.
    assert.equal(cache.get(cluster.id)?.kind, 'checking');
    assert.match(instanceRow(rows(deployments), cluster.id).description ?? '', / · k8s checking…$/);
    await pending;
    const provisioning = instanceRow(rows(deployments), cluster.id);
    assert.match(provisioning.description ?? '', /^\$[\d.]+\/h · deploying .* · k8s provisioning$/);
    assert.match(
      provisioning.tooltip,
      /\n\nKubernetes add-on 1\.35: provisioning · control plane 0\/1 · workers 0\/8 \(checked at 12:00\)$/,
    );

    sim().advanceClock(60 + 120);
    deployments = await list();
    await cache.refresh(deployments);
    const healthy = instanceRow(rows(deployments), cluster.id);
    assert.match(healthy.description ?? '', /^\$[\d.]+ · \$[\d.]+\/h · running .* · k8s healthy$/);
    assert.match(
      healthy.tooltip,
      /Kubernetes add-on 1\.35: healthy · control plane 1\/1 · workers 8\/8 \(checked at 12:03\)$/,
    );
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 2);

    sim().setClusterFault(cluster.kubernetesAddon?.clusterId ?? '', 'degraded');
    await cache.refresh(deployments, { force: true });
    assert.match(instanceRow(rows(deployments), cluster.id).description ?? '', / · k8s degraded$/);
  });

  it('says “health unknown” with the reason when the health call fails, and keeps the instance', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    const deployments = await list();
    sim().injectFault({
      route: HEALTH_ROUTE,
      status: 503,
      body: { error: 'Service Unavailable', message: 'control plane unreachable' },
    });
    await cache.refresh(deployments);
    const entry = cache.get(cluster.id);
    assert.equal(entry?.kind, 'unknown');
    const row = instanceRow(rows(deployments), cluster.id);
    assert.match(row.description ?? '', /^\$[\d.]+\/h · deploying .* · k8s health unknown$/);
    assert.match(row.tooltip, /Kubernetes add-on 1\.35: health unknown — .+ \(at 12:00\)$/);
    assert.equal(row.label, 'vp-h100-sxm5-8x-ib-k8s');

    sim().clearFaults();
    await cache.refresh(deployments, { force: true });
    assert.equal(clusterHealthBrief(cache.get(cluster.id)), 'k8s provisioning');
  });

  it('asks only for live add-on clusters, once per refresh, and forgets a cluster once it ended', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    const plainCluster = await deploy('vp-h100-sxm5-8x-ib', false);
    const vm = await deploy('dc-1h100-sxm5-spot', false);
    const deployments = await list();
    // Two refreshes at once (two polls landing together): one request for the one add-on cluster.
    await Promise.all([cache.refresh(deployments), cache.refresh(deployments)]);
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 1);
    assert.equal(cache.get(plainCluster.id), undefined);
    assert.equal(cache.get(vm.id), undefined);
    const shown = rows(deployments);
    assert.doesNotMatch(instanceRow(shown, plainCluster.id).description ?? '', /k8s/);
    assert.doesNotMatch(instanceRow(shown, vm.id).tooltip, /Kubernetes/);

    sim().setDeploymentStatus(cluster.id, 'terminated');
    const after = await list();
    await cache.refresh(after);
    assert.equal(cache.get(cluster.id), undefined);
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 1);
  });

  it('asks a cluster again after a minute, when its status changed, or when the user refreshed', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    const deploying = await list();
    await cache.refresh(deploying);
    // Polls 15 s apart while it deploys: no new request until a minute has passed.
    sim().advanceClock(15);
    await cache.refresh(await list());
    sim().advanceClock(15);
    await cache.refresh(await list());
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 1);
    // Running now (60 s after create): the status changed, so it is asked at once.
    sim().advanceClock(30);
    const running = await list();
    assert.equal(running.find((d) => d.id === cluster.id)?.status, 'running');
    await cache.refresh(running);
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 2);
    await cache.refresh(running);
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 2);
    await cache.refresh(running, { force: true });
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 3);
    sim().advanceClock(60);
    await cache.refresh(await list());
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 4);
    assert.equal(clusterHealthBrief(cache.get(cluster.id)), 'k8s provisioning');
  });

  it('waits for the request budget: no health request while background work must wait', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    budgetWaitMs = 90_000;
    await cache.refresh(await list());
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 0);
    const waiting = instanceRow(rows(await list()), cluster.id);
    assert.match(waiting.description ?? '', / · k8s health unknown$/);
    assert.match(
      waiting.tooltip,
      /health unknown — not checked yet: background requests wait about 2 min for Spheron’s rate limit/,
    );
    // Once the budget allows, the next list brings the health; a known health is kept while waiting.
    budgetWaitMs = 0;
    await cache.refresh(await list());
    assert.equal(clusterHealthBrief(cache.get(cluster.id)), 'k8s provisioning');
    budgetWaitMs = 90_000;
    await cache.refresh(await list());
    assert.equal(clusterHealthBrief(cache.get(cluster.id)), 'k8s provisioning');
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 1);
  });

  it('says so when the API names no cluster id, without asking', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    const [listed] = (await list()).filter((d) => d.id === cluster.id);
    assert.ok(listed);
    const withoutId: Deployment = { ...listed, kubernetesAddon: { version: '1.35', clusterId: undefined } };
    await cache.refresh([withoutId]);
    assert.equal(countRequests(sim(), HEALTH_ROUTE), 0);
    assert.match(
      instanceRow(rows([withoutId]), cluster.id).tooltip,
      /health unknown — the API did not report the cluster’s id/,
    );
  });

  it('goes silent once disposed: a check in flight lands nowhere', async () => {
    const cluster = await deploy('vp-h100-sxm5-8x-ib', true);
    const deployments = await list();
    let changes = 0;
    cache.onDidChange(() => changes++);
    const pending = cache.refresh(deployments);
    const before = changes;
    cache.dispose();
    await pending;
    assert.equal(changes, before);
    assert.equal(cache.get(cluster.id)?.kind, 'checking');
  });
});
