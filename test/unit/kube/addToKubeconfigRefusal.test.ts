import * as assert from 'node:assert/strict';
import { addToKubeconfigRefusal } from '../../../src/core/kube/fetchKubeconfig';
import { deployment } from '../model/fixtures';

const ADDON = { version: '1.35', clusterId: '5e0c1a57-0000-4000-8000-000000000001' };

describe('kube/addToKubeconfigRefusal', () => {
  it('allows a running or deploying cluster with the add-on, also when the API left out its type', () => {
    for (const status of ['running', 'deploying'] as const) {
      assert.equal(
        addToKubeconfigRefusal(
          deployment({ id: 'c', status, instanceType: 'CLUSTER', kubernetesAddon: ADDON }),
        ),
        undefined,
      );
    }
    assert.equal(
      addToKubeconfigRefusal(deployment({ id: 'c', instanceType: '', kubernetesAddon: ADDON })),
      undefined,
    );
  });

  it('refuses a VM, naming it and what would work', () => {
    assert.equal(
      addToKubeconfigRefusal(deployment({ id: 'v', name: 'pro6000-dev' })),
      '“pro6000-dev” is not a Cluster instance: only Cluster instances with the Kubernetes add-on (Voltage Park H100 SXM5) run a cluster to add to your kubeconfig.',
    );
    // A VM cannot have the add-on, whatever the API says.
    assert.match(
      addToKubeconfigRefusal(deployment({ id: 'v', instanceType: 'SPOT', kubernetesAddon: ADDON })) ?? '',
      /is not a Cluster instance/,
    );
  });

  it('refuses a cluster deployed without the add-on', () => {
    assert.equal(
      addToKubeconfigRefusal(deployment({ id: 'c', name: 'big-iron', instanceType: 'CLUSTER' })),
      '“big-iron” was deployed without the Kubernetes add-on, so it runs no cluster to add to your kubeconfig.',
    );
  });

  it('refuses an add-on cluster that ended or is stopped', () => {
    for (const [status, word] of [
      ['terminated', 'terminated'],
      ['terminated-provider', 'reclaimed'],
      ['failed', 'failed'],
      ['stopped', 'stopped'],
    ] as const) {
      assert.equal(
        addToKubeconfigRefusal(
          deployment({ id: 'c', name: 'k8s', status, instanceType: 'CLUSTER', kubernetesAddon: ADDON }),
        ),
        `“k8s” is ${word}; its cluster cannot be reached.`,
      );
    }
  });
});
