// The kubeconfig the API hands out with a cluster's deployment (contract §4.13:
// `kubernetesAddon.kubeconfig`), used by Add to kubeconfig instead of fetching one over SSH.
import * as assert from 'node:assert/strict';
import {
  API_KUBECONFIG_SOURCE,
  kubeconfigFromApi,
  kubeconfigSourceText,
  kubeEntryFrom,
} from '../../../src/core/kube/fetchKubeconfig';
import { K3S_KUBECONFIG } from '../../support/kubeconfigFixtures';

describe('a kubeconfig from the Spheron API', () => {
  it('is used when the deployment reports one, and named as coming from the API', () => {
    const fetched = kubeconfigFromApi({
      kubernetesAddon: { version: '1.35', clusterId: 'c-1', kubeconfig: K3S_KUBECONFIG },
    });
    assert.deepEqual(fetched, { path: API_KUBECONFIG_SOURCE, text: K3S_KUBECONFIG });
    assert.equal(kubeconfigSourceText(fetched), 'from the Spheron API');
    assert.equal(
      kubeconfigSourceText({ path: '/etc/rancher/k3s/k3s.yaml', text: K3S_KUBECONFIG }),
      'from /etc/rancher/k3s/k3s.yaml on the node',
    );
  });

  it('is absent when the deployment reports none, so the node is asked over SSH', () => {
    assert.equal(kubeconfigFromApi({ kubernetesAddon: { version: '1.35', clusterId: 'c-1' } }), undefined);
    assert.equal(kubeconfigFromApi({}), undefined);
  });

  it('points a loopback server at the instance, as one fetched from the node would be', () => {
    const fetched = kubeconfigFromApi({
      kubernetesAddon: { version: '1.35', clusterId: 'c-1', kubeconfig: K3S_KUBECONFIG },
    });
    assert.ok(fetched);
    const { entry, server } = kubeEntryFrom({ id: 'abc123', ipAddress: '198.51.100.9' }, fetched);
    assert.equal(server, 'https://198.51.100.9:6443');
    assert.equal(entry.name, 'spheron-abc123');
    assert.ok(
      entry.userLines.some((line) => line === 'client-key-data: S0VZ'),
      entry.userLines.join('\n'),
    );
  });
});
