// Fetching the cluster's kubeconfig from the node over real OpenSSH (a throwaway sshd whose session
// HOME holds a k3s-style kubeconfig), then merging it into a local kubeconfig.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deployment } from '../model/fixtures';
import { addSpheronKubeEntry, removeSpheronKubeEntry } from '../../../src/core/kube/kubeconfig';
import {
  endedKubeEntryNames,
  fetchKubeconfigCommand,
  kubeEntryFrom,
  NO_KUBECONFIG_EXIT,
  parseFetchedKubeconfig,
} from '../../../src/core/kube/fetchKubeconfig';
import { startSshd, type SshdFixture } from '../ssh/sshdFixture';
import { K3S_KUBECONFIG } from '../../support/kubeconfigFixtures';

const K3S_YAML = K3S_KUBECONFIG;
const LOCAL =
  'apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: prod\nkind: Config\n';

function sshRun(sshd: SshdFixture, command: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      'ssh',
      [
        '-T',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'LogLevel=ERROR',
        '-i',
        sshd.clientKey,
        '-p',
        String(sshd.port),
        `${sshd.user}@127.0.0.1`,
        command,
      ],
      (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
    );
  });
}

describe('kubeconfig from the node over a real sshd', function () {
  this.timeout(60_000);
  let home: string;
  let sshd: SshdFixture;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'spheron-node-home-'));
    sshd = await startSshd({ sessionHome: home });
  });

  after(async () => {
    await sshd.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('says when the node has no kubeconfig in any standard place', async () => {
    const result = await sshRun(sshd, fetchKubeconfigCommand());
    assert.equal(result.code, NO_KUBECONFIG_EXIT);
    assert.equal(parseFetchedKubeconfig(result.stdout), undefined);
  });

  it('fetches ~/.kube/config, says where it came from, and merges it as our own context', async () => {
    await mkdir(join(home, '.kube'), { recursive: true });
    await writeFile(join(home, '.kube', 'config'), K3S_YAML);
    const result = await sshRun(sshd, fetchKubeconfigCommand());
    assert.equal(result.code, 0);
    const fetched = parseFetchedKubeconfig(result.stdout);
    assert.equal(fetched?.path, `${home}/.kube/config`);
    assert.equal(fetched.text, K3S_YAML);

    const instance = deployment({ id: '66f1c0ffee00000000000d09', ipAddress: '203.0.113.7' });
    const { entry, server } = kubeEntryFrom(instance, fetched);
    assert.equal(server, 'https://203.0.113.7:6443');
    const merged = addSpheronKubeEntry(LOCAL, entry);
    assert.match(merged, /^ {4}server: https:\/\/203\.0\.113\.7:6443$/m);
    assert.match(merged, /^ {4}client-key-data: S0VZ$/m);
    assert.match(merged, /^ {2}name: spheron-66f1c0ffee00000000000d09$/m);

    // The instance ends: its entry is found and removed, and the file is as it was.
    assert.deepEqual(endedKubeEntryNames(merged, [{ ...instance, status: 'running' }]), []);
    const ended = endedKubeEntryNames(merged, [{ ...instance, status: 'terminated' }]);
    assert.deepEqual(ended, ['spheron-66f1c0ffee00000000000d09']);
    assert.equal(ended.reduce(removeSpheronKubeEntry, merged), LOCAL);
  });
});
