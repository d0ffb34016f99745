import * as assert from 'node:assert/strict';
import { NotFoundError, SchemaError } from '../../../src/core/api/errors';
import {
  normalizeOfferPage,
  readDeploymentKubernetesAddon,
  readKubeconfigText,
  readOfferKubernetesAddon,
} from '../../../src/core/api/normalize';
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

const WIRE_OFFER = {
  provider: 'voltage-park',
  gpuCount: 8,
  price: 21.52,
  instanceType: 'CLUSTER',
};

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

  it('reads a cluster’s health by the cluster id its deployment reports', async () => {
    const { client } = harness;
    const teamId = await currentTeamId(client);
    const offer = await findOffer(client, 'vp-h100-sxm5-8x-ib');
    assert.deepEqual(offer.kubernetesAddon, { version: '1.35', totalCostPerHour: 0.5 });
    const cluster = await client.createDeployment(
      createRequestFor(offer, teamId, {
        name: 'k8s-cluster',
        sshPublicKey: newPublicKey(),
        kubernetesAddon: { version: '1.35' },
      }),
    );
    assert.deepEqual(
      harness.sent.at(-1)?.body && (harness.sent.at(-1)?.body as Record<string, unknown>)['kubernetesAddon'],
      {
        version: '1.35',
      },
    );
    const clusterId = cluster.kubernetesAddon?.clusterId ?? '';
    assert.equal(cluster.kubernetesAddon?.version, '1.35');
    assert.match(clusterId, /^[0-9a-f-]{36}$/);
    const deploying = await client.getClusterHealth(clusterId);
    assert.equal(deploying.overall, 'provisioning');
    sim().advanceClock(10 * 60);
    const running = await client.getClusterHealth(clusterId);
    assert.equal(describeClusterHealth(running), 'healthy · control plane 1/1 · workers 8/8');
    assert.match(harness.sent.at(-1)?.url ?? '', new RegExp(`/api/kubernetes/${clusterId}/health$`));
    const listed = await client.listDeployments({ teamId });
    assert.deepEqual(listed.find((d) => d.id === cluster.id)?.kubernetesAddon, cluster.kubernetesAddon);

    const vm = await client.createDeployment(
      createRequestFor(await findOffer(client, 'dc-1h100-sxm5-spot'), teamId, {
        name: 'k8s-vm',
        sshPublicKey: newPublicKey(),
      }),
    );
    assert.equal(vm.kubernetesAddon, undefined);
    assert.equal('kubernetesAddon' in vm, false);
    await assert.rejects(client.getClusterHealth(vm.id), NotFoundError);
  });

  it('reads the kubeconfig a cluster’s deployment reports, listed and fetched alone', async () => {
    const { client } = harness;
    const teamId = await currentTeamId(client);
    const cluster = await client.createDeployment(
      createRequestFor(await findOffer(client, 'vp-h100-sxm5-8x-ib'), teamId, {
        name: 'k8s-config',
        sshPublicKey: newPublicKey(),
        kubernetesAddon: { version: '1.35' },
      }),
    );
    assert.equal(cluster.kubernetesAddon?.kubeconfig, undefined, 'none until the API reports one');
    const clusterId = cluster.kubernetesAddon?.clusterId ?? '';
    const yaml =
      'apiVersion: v1\nkind: Config\nclusters:\n  - name: c\n    cluster: {server: https://198.51.100.9:6443}\n';
    const admin = await fetch(`${sim().url}/__sim/kubernetes/${clusterId}/kubeconfig`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kubeconfig: Buffer.from(yaml).toString('base64') }),
    });
    assert.equal(admin.status, 200);
    assert.equal((await client.getDeployment(cluster.id)).kubernetesAddon?.kubeconfig, yaml);
    const listed = await client.listDeployments({ teamId });
    assert.equal(listed.find((d) => d.id === cluster.id)?.kubernetesAddon?.kubeconfig, yaml);
  });

  it('sends the OIDC configuration as authentication_config_b64 when given', async () => {
    const { client } = harness;
    const teamId = await currentTeamId(client);
    await client.createDeployment(
      createRequestFor(await findOffer(client, 'vp-h100-sxm5-8x-ib'), teamId, {
        name: 'k8s-oidc',
        sshPublicKey: newPublicKey(),
        kubernetesAddon: { version: '1.34', authenticationConfigB64: 'e30=' },
      }),
    );
    assert.deepEqual((harness.sent.at(-1)?.body as Record<string, unknown>)['kubernetesAddon'], {
      version: '1.34',
      authentication_config_b64: 'e30=',
    });
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

describe('Kubernetes add-on on offers and deployments (tolerant reading)', () => {
  it('reads an offer’s add-on, and leaves it out when missing or odd without dropping the offer', () => {
    assert.deepEqual(readOfferKubernetesAddon({ version: '1.35', total_cost_per_hour: 0.5 }), {
      version: '1.35',
      totalCostPerHour: 0.5,
    });
    assert.deepEqual(readOfferKubernetesAddon({ version: 1.35, total_cost_per_hour: '0.75' }), {
      version: '1.35',
      totalCostPerHour: 0.75,
    });
    for (const odd of [
      undefined,
      null,
      'yes',
      [],
      {},
      { version: '1.35' },
      { total_cost_per_hour: 0.5 },
      { version: '', total_cost_per_hour: 0.5 },
      { version: '1.35', total_cost_per_hour: -1 },
      { version: '1.35', total_cost_per_hour: 'free' },
      { version: { major: 1 }, total_cost_per_hour: 0.5 },
    ]) {
      assert.equal(readOfferKubernetesAddon(odd), undefined, JSON.stringify(odd));
    }
  });

  it('keeps every offer of a page whose add-on is odd', () => {
    const page = normalizeOfferPage(
      'GET /api/gpu-offers',
      JSON.stringify({
        data: [
          {
            gpuType: 'H100_SXM5',
            offers: [
              {
                ...WIRE_OFFER,
                offerId: 'a',
                extras: { kubernetes_addon: { version: '1.35', total_cost_per_hour: 0.5 } },
              },
              { ...WIRE_OFFER, offerId: 'b', extras: { kubernetes_addon: 'sure' } },
              { ...WIRE_OFFER, offerId: 'c', extras: { kubernetes_addon: null } },
              { ...WIRE_OFFER, offerId: 'd' },
            ],
          },
        ],
        total: 1,
      }),
      { page: 1, limit: 10 },
    );
    assert.equal(page.rejected, 0);
    const offers = page.groups[0]?.offers ?? [];
    assert.deepEqual(
      offers.map((o) => [o.offerId, o.kubernetesAddon]),
      [
        ['a', { version: '1.35', totalCostPerHour: 0.5 }],
        ['b', undefined],
        ['c', undefined],
        ['d', undefined],
      ],
    );
  });

  it('reads a deployment’s add-on and its cluster id; null or absent means none', () => {
    assert.deepEqual(readDeploymentKubernetesAddon({ version: '1.35', clusterId: 'c-1', kubeconfig: 'x' }), {
      version: '1.35',
      clusterId: 'c-1',
    });
    assert.deepEqual(readDeploymentKubernetesAddon({ version: '1.35', cluster_id: 'c-2' }), {
      version: '1.35',
      clusterId: 'c-2',
    });
    assert.deepEqual(readDeploymentKubernetesAddon({ kubeconfig: 'x' }), {
      version: undefined,
      clusterId: undefined,
    });
    for (const none of [undefined, null, false, 'yes', []]) {
      assert.equal(readDeploymentKubernetesAddon(none), undefined, JSON.stringify(none));
    }
  });

  it('reads kubernetesAddon.kubeconfig as YAML or base64 of it, and nothing else as one', () => {
    const yaml = 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n';
    const base64 = Buffer.from(yaml).toString('base64');
    assert.deepEqual(readDeploymentKubernetesAddon({ version: '1.35', clusterId: 'c-1', kubeconfig: yaml }), {
      version: '1.35',
      clusterId: 'c-1',
      kubeconfig: yaml,
    });
    assert.equal(readKubeconfigText(base64), yaml);
    assert.equal(readKubeconfigText(base64.replace(/(.{16})/g, '$1\n')), yaml, 'base64 wrapped in lines');
    assert.equal(readKubeconfigText('current-context: c\n'), 'current-context: c\n');
    for (const notOne of [
      'x',
      '/etc/rancher/k3s/k3s.yaml',
      '',
      '   ',
      Buffer.from('hello world').toString('base64'),
      `apiVersion: v1\n${'#'.repeat(1_000_000)}`,
      42,
      { clusters: [] },
      null,
    ]) {
      assert.equal(readKubeconfigText(notOne), undefined, JSON.stringify(notOne).slice(0, 40));
    }
  });
});
