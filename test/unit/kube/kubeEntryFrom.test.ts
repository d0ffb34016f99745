// The entry Add to kubeconfig writes for a cluster whose kubeconfig names the node's loopback: the
// server becomes the instance's address, and the certificate is still checked against the name it
// was issued for.
import * as assert from 'node:assert/strict';
import { kubeEntryFrom } from '../../../src/core/kube/fetchKubeconfig';
import { K3S_KUBECONFIG } from '../../support/kubeconfigFixtures';

const NODE = { id: 'abc123', ipAddress: '198.51.100.9' };

function clusterLinesFor(text: string): readonly string[] {
  return kubeEntryFrom(NODE, { path: '/etc/rancher/k3s/k3s.yaml', text }).entry.clusterLines;
}

describe('the kubeconfig entry of a cluster on the node’s loopback', () => {
  it('points at the instance and checks the certificate against 127.0.0.1, as k3s issues it', () => {
    const lines = clusterLinesFor(K3S_KUBECONFIG);
    assert.ok(lines.includes('server: https://198.51.100.9:6443'), lines.join('\n'));
    assert.ok(lines.includes('tls-server-name: 127.0.0.1'), lines.join('\n'));
    assert.ok(lines.includes('certificate-authority-data: LS0tLS1CRUdJTiBDRVJU'));
  });

  it('uses localhost or ::1 when the file did', () => {
    const localhost = clusterLinesFor(
      K3S_KUBECONFIG.replace('https://127.0.0.1:6443', 'https://localhost:6443'),
    );
    assert.ok(localhost.includes('tls-server-name: localhost'), localhost.join('\n'));
    const v6 = clusterLinesFor(K3S_KUBECONFIG.replace('https://127.0.0.1:6443', 'https://[::1]:6443'));
    assert.ok(v6.includes('tls-server-name: ::1'), v6.join('\n'));
  });

  it('keeps a name the file already sets, and adds none where verification is off or the address is 0.0.0.0', () => {
    const named = clusterLinesFor(
      K3S_KUBECONFIG.replace('    server:', '    tls-server-name: k3s.internal\n    server:'),
    );
    assert.deepEqual(
      named.filter((line) => line.startsWith('tls-server-name:')),
      ['tls-server-name: k3s.internal'],
    );
    const insecure = clusterLinesFor(
      K3S_KUBECONFIG.replace(
        '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJU',
        '    insecure-skip-tls-verify: true',
      ),
    );
    assert.equal(
      insecure.some((line) => line.startsWith('tls-server-name:')),
      false,
      insecure.join('\n'),
    );
    const anyAddress = clusterLinesFor(
      K3S_KUBECONFIG.replace('https://127.0.0.1:6443', 'https://0.0.0.0:6443'),
    );
    assert.ok(anyAddress.includes('server: https://198.51.100.9:6443'));
    assert.equal(
      anyAddress.some((line) => line.startsWith('tls-server-name:')),
      false,
    );
  });

  it('leaves a public server as it is', () => {
    const lines = clusterLinesFor(
      K3S_KUBECONFIG.replace('https://127.0.0.1:6443', 'https://203.0.113.5:6443'),
    );
    assert.ok(lines.includes('server: https://203.0.113.5:6443'));
    assert.equal(
      lines.some((line) => line.startsWith('tls-server-name:')),
      false,
    );
  });
});
