import * as assert from 'node:assert/strict';
import { NotFoundError, SchemaError } from '../../../src/core/api/errors';
import {
  describeClusterHealth,
  normalizeClusterHealth,
  normalizeKubernetesVersions,
} from '../../../src/core/api/kubernetes';
import {
  createRequestFor,
  currentTeamId,
  findOffer,
  makeClient,
  newPublicKey,
  useSimulator,
} from './harness';
import type { ClientHarness } from './harness';

describe('SpheronClient Kubernetes add-on (against the simulator)', () => {
  const sim = useSimulator();
  let harness: ClientHarness;

  beforeEach(() => {
    harness = makeClient(sim());
  });
  afterEach(async () => {
    await harness.client.dispose();
  });

  it('lists the versions Voltage Park offers, and none elsewhere', async () => {
    const versions = await harness.client.listKubernetesVersions('voltage-park');
    assert.deepEqual(versions, [
      { version: '1.35', available: true },
      { version: '1.34', available: true },
    ]);
    assert.equal(new URL(harness.sent[0]?.url ?? '').searchParams.get('provider'), 'voltage-park');
    assert.deepEqual(await harness.client.listKubernetesVersions('data-crunch'), []);
  });

  it('reads a cluster’s health as it deploys and runs; a VM has none', async () => {
    const { client } = harness;
    const teamId = await currentTeamId(client);
    const cluster = await client.createDeployment(
      createRequestFor(await findOffer(client, 'vp-h100-sxm5-8x-ib'), teamId, {
        name: 'k8s-cluster',
        sshPublicKey: newPublicKey(),
      }),
    );
    const deploying = await client.getClusterHealth(cluster.id);
    assert.equal(deploying.overall, 'provisioning');
    sim().advanceClock(10 * 60);
    const running = await client.getClusterHealth(cluster.id);
    assert.equal(describeClusterHealth(running), 'healthy · control plane 1/1 · workers 8/8');
    assert.match(harness.sent.at(-1)?.url ?? '', new RegExp(`/api/kubernetes/${cluster.id}/health$`));

    const vm = await client.createDeployment(
      createRequestFor(await findOffer(client, 'dc-1h100-sxm5-spot'), teamId, {
        name: 'k8s-vm',
        sshPublicKey: newPublicKey(),
      }),
    );
    await assert.rejects(client.getClusterHealth(vm.id), NotFoundError);
  });
});

describe('Kubernetes add-on answers', () => {
  it('accepts versions bare, wrapped, as strings or numbers', () => {
    const endpoint = 'GET /api/kubernetes/versions';
    assert.deepEqual(normalizeKubernetesVersions(endpoint, '["1.35"]'), [
      { version: '1.35', available: true },
    ]);
    assert.deepEqual(normalizeKubernetesVersions(endpoint, '{"data":[{"version":1.34,"available":false}]}'), [
      { version: '1.34', available: false },
    ]);
    assert.throws(() => normalizeKubernetesVersions(endpoint, '{"versions":"1.35"}'), SchemaError);
  });

  it('keeps an unknown health word and tolerates missing counts', () => {
    const health = normalizeClusterHealth(
      'GET /api/kubernetes/{clusterId}/health',
      '{"health":{"overallHealth":"upgrading","controlPlaneNodes":{"status":"healthy"},"workerNodes":null}}',
    );
    assert.equal(health.overall, 'upgrading');
    assert.deepEqual(health.controlPlane, { healthy: undefined, total: undefined, status: 'healthy' });
    assert.equal(health.workers, undefined);
    assert.equal(describeClusterHealth(health), 'upgrading');
    assert.throws(
      () => normalizeClusterHealth('GET /api/kubernetes/{clusterId}/health', '{"health":{}}'),
      SchemaError,
    );
  });
});
