// A k3s kubeconfig names the node's loopback (https://127.0.0.1:6443) and a certificate issued for
// it. Add to kubeconfig points the server at the instance's address; real kubectl must still trust
// the node. Here the "node" is an HTTPS server on 127.0.0.2 whose certificate lists only 127.0.0.1
// (as a NATed instance's public address is missing from it); kubectl is installed by
// test/e2e/setup (Debian's kubernetes-client) and the certificate is made with openssl.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeEntryFrom, kubeEntryName } from '../../../src/core/kube/fetchKubeconfig';
import { addSpheronKubeEntry } from '../../../src/core/kube/kubeconfig';

const NODE_ADDRESS = '127.0.0.2';

/** Runs kubectl without blocking this process, whose event loop serves the "node". */
function kubectl(kubeconfig: string, context: string): Promise<{ ok: boolean; output: string }> {
  const args = [
    '--kubeconfig',
    kubeconfig,
    '--context',
    context,
    '--request-timeout',
    '10s',
    'get',
    '--raw',
    '/version',
  ];
  return new Promise((resolve, reject) => {
    execFile('kubectl', args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(
          new Error('kubectl is not installed: run bash test/e2e/setup (apt-get install kubernetes-client)'),
        );
        return;
      }
      resolve({ ok: !error, output: `${stdout}${stderr}` });
    });
  });
}

describe('Add to kubeconfig with real kubectl: a loopback kubeconfig pointed at the instance', function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let port: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spheron-kubectl-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=k3s',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ major: '1', minor: '35', gitVersion: 'v1.35.0+k3s1' }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, NODE_ADDRESS, resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The node's k3s.yaml as k3s writes it, merged into an empty kubeconfig the way the command does. */
  function mergedKubeconfig(dropTlsServerName: boolean): string {
    const ca = readFileSync(join(dir, 'cert.pem')).toString('base64');
    const k3s = [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${ca}`,
      `    server: https://127.0.0.1:${port}`,
      '  name: default',
      'contexts:',
      '- context:',
      '    cluster: default',
      '    user: default',
      '  name: default',
      'current-context: default',
      'kind: Config',
      'users:',
      '- name: default',
      '  user:',
      '    token: k3s-token',
      '',
    ].join('\n');
    const { entry } = kubeEntryFrom(
      { id: 'abc123', ipAddress: NODE_ADDRESS },
      { path: '/etc/rancher/k3s/k3s.yaml', text: k3s },
    );
    const lines = dropTlsServerName
      ? entry.clusterLines.filter((line) => !line.startsWith('tls-server-name:'))
      : entry.clusterLines;
    const file = join(dir, dropTlsServerName ? 'without-name' : 'config');
    writeFileSync(
      file,
      addSpheronKubeEntry('apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', {
        ...entry,
        clusterLines: lines,
      }),
    );
    return file;
  }

  it('reaches the cluster at the instance address, the certificate checked against 127.0.0.1', async () => {
    const result = await kubectl(mergedKubeconfig(false), kubeEntryName('abc123'));
    assert.ok(result.ok, result.output);
    assert.match(result.output, /"gitVersion":"v1\.35\.0\+k3s1"/);
  });

  it('would be refused by kubectl without the certificate name (the address is not in it)', async () => {
    const result = await kubectl(mergedKubeconfig(true), kubeEntryName('abc123'));
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, /x509: certificate is valid for 127\.0\.0\.1, not 127\.0\.0\.2/);
  });
});
