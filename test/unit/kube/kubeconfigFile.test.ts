import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSpheronKubeEntry, removeSpheronKubeEntry } from '../../../src/core/kube/kubeconfig';
import { kubeconfigBackupPath, updateKubeconfig } from '../../../src/core/kube/kubeconfigFile';
import { pruneEndedKubeEntries, userKubeconfigPath } from '../../../src/core/kube/kubeconfigSync';
import { deployment } from '../model/fixtures';
import { ContentChangedError } from '../../../src/core/ssh/atomicWrite';
import { nodeFileSystem, type SshFileSystem } from '../../../src/core/ssh/fileSystem';

const ENTRY = {
  name: 'spheron-k8s',
  clusterLines: ['server: https://203.0.113.7:6443'],
  userLines: ['token: abc'],
};
const USERS_OWN =
  'apiVersion: v1\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: prod\nkind: Config\n';

describe('kubeconfig file updates', () => {
  let dir: string;
  let config: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spheron-kube-'));
    config = join(dir, '.kube', 'config');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates ~/.kube/config with mode 0600 when there is none, and backs up nothing', async () => {
    assert.equal(
      await updateKubeconfig(nodeFileSystem, config, (text) => addSpheronKubeEntry(text, ENTRY)),
      true,
    );
    assert.equal((await stat(config)).mode & 0o777, 0o600);
    assert.match(await readFile(config, 'utf8'), /name: spheron-k8s/);
    await assert.rejects(stat(kubeconfigBackupPath(config)));
  });

  it('keeps the file’s mode, backs up the previous bytes, and removes our entry back to the original', async () => {
    await mkdir(join(dir, '.kube'));
    await writeFile(config, USERS_OWN, { mode: 0o640 });
    await updateKubeconfig(nodeFileSystem, config, (text) => addSpheronKubeEntry(text, ENTRY));
    assert.equal((await stat(config)).mode & 0o777, 0o640);
    assert.equal(await readFile(kubeconfigBackupPath(config), 'utf8'), USERS_OWN);
    assert.equal((await stat(kubeconfigBackupPath(config))).mode & 0o777, 0o600);
    await updateKubeconfig(nodeFileSystem, config, (text) => removeSpheronKubeEntry(text, ENTRY.name));
    assert.equal(await readFile(config, 'utf8'), USERS_OWN);
  });

  it('writes nothing when the edit changes nothing', async () => {
    await updateKubeconfig(nodeFileSystem, config, (text) => addSpheronKubeEntry(text, ENTRY));
    const before = (await stat(config)).mtimeMs;
    assert.equal(
      await updateKubeconfig(nodeFileSystem, config, (text) => removeSpheronKubeEntry(text, 'spheron-other')),
      false,
    );
    assert.equal((await stat(config)).mtimeMs, before);
  });

  it('gives up when another program writes the file during the edit', async () => {
    await updateKubeconfig(nodeFileSystem, config, (text) =>
      addSpheronKubeEntry(text, { ...ENTRY, name: 'spheron-a' }),
    );
    const written = await readFile(config, 'utf8');
    const racing: SshFileSystem = {
      ...nodeFileSystem,
      // kubectl writes the file between our read and our rename.
      async writeNewFile(path, data, mode) {
        await nodeFileSystem.writeNewFile(path, data, mode);
        if (!path.includes('.spheron-backup')) {
          await writeFile(config, `${written}# kubectl was here\n`);
        }
      },
    };
    await assert.rejects(
      updateKubeconfig(racing, config, (text) => addSpheronKubeEntry(text, ENTRY)),
      ContentChangedError,
    );
    assert.equal(await readFile(config, 'utf8'), `${written}# kubectl was here\n`);
  });

  it('prunes the contexts of ended instances only, and writes nothing when none ended', async () => {
    const logged: string[] = [];
    const logger = {
      info: (line: string) => logged.push(line),
      warn: () => undefined,
      debug: () => undefined,
      error: () => undefined,
    };
    const path = userKubeconfigPath(dir);
    assert.deepEqual(await pruneEndedKubeEntries(nodeFileSystem, dir, [], logger as never), []);
    await assert.rejects(stat(path), 'no kubeconfig is created by a prune');
    await mkdir(join(dir, '.kube'));
    await writeFile(path, USERS_OWN);
    await updateKubeconfig(nodeFileSystem, path, (text) =>
      addSpheronKubeEntry(text, { ...ENTRY, name: 'spheron-d1' }),
    );
    await updateKubeconfig(nodeFileSystem, path, (text) =>
      addSpheronKubeEntry(text, { ...ENTRY, name: 'spheron-d2' }),
    );
    const running = deployment({ id: 'd1' });
    const ended = deployment({ id: 'd2', status: 'terminated' });
    assert.deepEqual(await pruneEndedKubeEntries(nodeFileSystem, dir, [running], logger as never), []);
    assert.deepEqual(await pruneEndedKubeEntries(nodeFileSystem, dir, [running, ended], logger as never), [
      'spheron-d2',
    ]);
    const text = await readFile(path, 'utf8');
    assert.match(text, /name: spheron-d1/);
    assert.doesNotMatch(text, /spheron-d2/);
    assert.equal(removeSpheronKubeEntry(text, 'spheron-d1'), USERS_OWN);
    assert.match(logged.join('\n'), /Removed spheron-d2 from .*: the instance ended/);
  });
});
