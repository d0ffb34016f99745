import * as assert from 'node:assert/strict';
import { chmod, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ConcurrentChangeError,
  InvalidSshSettingError,
  MalformedMarkersError,
  NotWritableError,
} from '../../../src/core/ssh/errors';
import { nodeFileSystem, type SshFileSystem } from '../../../src/core/ssh/fileSystem';
import { fixUserConfig, syncSshConfig, type SshSyncSettings } from '../../../src/core/ssh/sync';
import { BEGIN_MARKER, END_MARKER } from '../../../src/core/ssh/userConfig';
import { first, sshG } from './helpers/sshG';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

describe('ssh/sync (real files)', () => {
  let t: TempHome;
  let settings: SshSyncSettings;

  beforeEach(async () => {
    t = await makeTempHome();
    settings = {
      homeDir: t.home,
      userConfigPath: t.userConfig,
      identityFile: join(t.home, '.ssh', 'id_ed25519'),
    };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const includeBlock = (eol = '\n') => [BEGIN_MARKER, `Include "${t.ourConfig}"`, END_MARKER].join(eol) + eol;

  it('creates ~/.ssh (0700), our directory and files (0600) when nothing exists', async () => {
    const deployment = runningDeployment({ name: 'First Box' });
    const result = await syncSshConfig([deployment], settings);
    assert.equal(result.written, true);
    assert.deepEqual([...result.filesWritten].sort(), [t.ourConfig, t.userConfig].sort());
    assert.equal((await stat(t.sshDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(t.sshDir, 'spheron'))).mode & 0o777, 0o700);
    assert.equal((await stat(t.userConfig)).mode & 0o777, 0o600);
    assert.equal((await stat(t.ourConfig)).mode & 0o777, 0o600);
    assert.equal(await readFile(t.userConfig, 'utf8'), includeBlock());
    assert.equal(result.includeAction, 'added');
    assert.equal(result.hosts[0]?.alias, 'spheron-first-box');
    // no lock or temp file is left behind
    assert.deepEqual((await readdir(join(t.sshDir, 'spheron'))).sort(), ['config']);
    assert.deepEqual((await readdir(t.sshDir)).sort(), ['config', 'spheron']);

    const effective = sshG(t.userConfig, 'spheron-first-box');
    assert.equal(first(effective, 'hostname'), deployment.ipAddress);
    assert.equal(first(effective, 'hostkeyalias'), `spheron-${deployment.id}`);
    assert.equal(first(effective, 'stricthostkeychecking'), 'accept-new');
    assert.deepEqual(effective.get('localforward'), [
      '[127.0.0.1]:8888 [localhost]:8888',
      '[127.0.0.1]:6006 [localhost]:6006',
    ]);
    // the tunnel alias has the same settings but binds no LocalForward
    const tunnel = sshG(t.userConfig, 'spheron-first-box.tunnel');
    assert.equal(first(tunnel, 'hostname'), deployment.ipAddress);
    assert.equal(first(tunnel, 'hostkeyalias'), `spheron-${deployment.id}`);
    assert.equal(tunnel.get('localforward'), undefined);
  });

  it('a second sync with the same state writes nothing (same inode, same mtime)', async () => {
    const deployments = [runningDeployment(), runningDeployment()];
    await writeFile(t.userConfig, 'Host x\n  User y\n').catch(async () => {
      await mkdir(t.sshDir, { mode: 0o700 });
      await writeFile(t.userConfig, 'Host x\n  User y\n');
    });
    await syncSshConfig(deployments, settings);
    const before = await Promise.all([stat(t.userConfig), stat(t.ourConfig)]);
    const again = await syncSshConfig(deployments, settings);
    assert.equal(again.written, false);
    assert.deepEqual(again.filesWritten, []);
    const after = await Promise.all([stat(t.userConfig), stat(t.ourConfig)]);
    for (const [index, info] of after.entries()) {
      assert.equal(info.ino, before[index]?.ino);
      assert.equal(info.mtimeMs, before[index]?.mtimeMs);
    }
  });

  describe('golden user configs keep every byte', () => {
    const golden: [string, string][] = [
      ['empty file', ''],
      [
        'Host * and Match',
        '# personal\nHost *\n  ServerAliveInterval 5\n  StrictHostKeyChecking no\n\nMatch host *.corp exec "true"\n  User corp\n',
      ],
      ['Include and comments', '# managed by me\nInclude ~/.ssh/conf.d/*\n\n# end\n'],
      ['CRLF', 'Host a\r\n  HostName 10.0.0.1\r\n'],
      ['no final newline', 'Host a\n  User bob'],
    ];
    for (const [title, text] of golden) {
      it(title, async () => {
        await mkdir(t.sshDir, { mode: 0o700 });
        await writeFile(t.userConfig, text);
        const result = await syncSshConfig([runningDeployment({ name: 'gold' })], settings);
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        assert.equal(await readFile(t.userConfig, 'utf8'), includeBlock(eol) + text);
        assert.equal(result.include.state, 'at-top');
        // ssh agrees: our values win over the user's Host *
        const effective = sshG(t.userConfig, 'spheron-gold');
        assert.equal(first(effective, 'stricthostkeychecking'), 'accept-new');
        assert.equal(first(effective, 'serveraliveinterval'), '30');
        // and the user's own settings still apply to their hosts
        if (text.includes('ServerAliveInterval 5')) {
          assert.equal(first(sshG(t.userConfig, 'elsewhere'), 'serveraliveinterval'), '5');
        }
      });
    }

    it('BOM', async () => {
      await mkdir(t.sshDir, { mode: 0o700 });
      const bom = Buffer.from([0xef, 0xbb, 0xbf]);
      await writeFile(t.userConfig, Buffer.concat([bom, Buffer.from('Host a\n')]));
      await syncSshConfig([runningDeployment()], settings);
      const bytes = await readFile(t.userConfig);
      assert.deepEqual(bytes.subarray(0, 3), bom);
      assert.equal(bytes.subarray(3).toString(), `${includeBlock()}Host a\n`);
    });
  });

  it('keeps an existing mode (0644 stays 0644)', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    await writeFile(t.userConfig, 'Host a\n', { mode: 0o644 });
    await chmod(t.userConfig, 0o644);
    await syncSshConfig([runningDeployment()], settings);
    assert.equal((await stat(t.userConfig)).mode & 0o777, 0o644);
  });

  it('writes through a symlinked config to its target and keeps the link', async () => {
    const dotfiles = join(t.home, 'dotfiles');
    await mkdir(dotfiles);
    await mkdir(t.sshDir, { mode: 0o700 });
    await writeFile(join(dotfiles, 'ssh_config'), 'Host dot\n');
    await symlink(join(dotfiles, 'ssh_config'), t.userConfig);
    const result = await syncSshConfig([runningDeployment()], settings);
    assert.equal((await lstat(t.userConfig)).isSymbolicLink(), true);
    assert.equal(await readlink(t.userConfig), join(dotfiles, 'ssh_config'));
    assert.equal(await readFile(join(dotfiles, 'ssh_config'), 'utf8'), `${includeBlock()}Host dot\n`);
    assert.ok(result.filesWritten.includes(join(dotfiles, 'ssh_config')));
    assert.deepEqual((await readdir(dotfiles)).sort(), ['ssh_config']);
  });

  it('refuses a dangling symlink and writes nothing', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    await symlink(join(t.home, 'missing', 'config'), t.userConfig);
    await assert.rejects(syncSshConfig([runningDeployment()], settings), (error: unknown) => {
      assert.ok(error instanceof NotWritableError);
      assert.match(error.message, /symbolic link to a missing file/);
      return true;
    });
    await assert.rejects(stat(t.ourConfig), { code: 'ENOENT' });
  });

  it('a read-only user config: typed error with the exact lines to add, file untouched', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    await writeFile(t.userConfig, 'Host ro\n');
    await chmod(t.userConfig, 0o444);
    await assert.rejects(syncSshConfig([runningDeployment({ name: 'ro' })], settings), (error: unknown) => {
      assert.ok(error instanceof NotWritableError);
      assert.equal(error.file, t.userConfig);
      assert.equal(error.manualInclude, includeBlock().trimEnd());
      assert.ok(error.message.includes(`Include "${t.ourConfig}"`));
      return true;
    });
    assert.equal(await readFile(t.userConfig, 'utf8'), 'Host ro\n');
    assert.equal((await stat(t.userConfig)).mode & 0o777, 0o444);
    assert.deepEqual(await readdir(t.sshDir), ['config', 'spheron']);
    // our own file is written so that the hand-added Include works at once
    assert.match(await readFile(t.ourConfig, 'utf8'), /Host spheron-ro /);

    // after the user adds the Include by hand, the sync succeeds without touching the file
    await chmod(t.userConfig, 0o644);
    await writeFile(t.userConfig, `Include "${t.ourConfig}"\nHost ro\n`);
    await chmod(t.userConfig, 0o444);
    const result = await syncSshConfig([runningDeployment({ name: 'ro' })], settings);
    assert.equal(result.include.state, 'at-top');
    assert.equal(result.includeAction, 'none');
  });

  it('a read-only directory: typed error, nothing written there', async () => {
    const custom = join(t.home, 'managed');
    await mkdir(custom);
    await writeFile(join(custom, 'ssh_config'), 'Host m\n');
    await chmod(custom, 0o555);
    try {
      await assert.rejects(
        syncSshConfig([runningDeployment()], { ...settings, userConfigPath: join(custom, 'ssh_config') }),
        (error: unknown) => error instanceof NotWritableError && /read-only directory/.test(error.message),
      );
      assert.deepEqual(await readdir(custom), ['ssh_config']);
      assert.equal(await readFile(join(custom, 'ssh_config'), 'utf8'), 'Host m\n');
    } finally {
      await chmod(custom, 0o755);
    }
  });

  it('damaged markers: typed error with line numbers, and nothing at all is written', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    const text = `Host a\n${BEGIN_MARKER}\nInclude x\n`;
    await writeFile(t.userConfig, text);
    await assert.rejects(syncSshConfig([runningDeployment()], settings), (error: unknown) => {
      assert.ok(error instanceof MalformedMarkersError);
      assert.deepEqual(error.beginLines, [2]);
      assert.equal(error.problem, 'unbalanced');
      return true;
    });
    assert.equal(await readFile(t.userConfig, 'utf8'), text);
    await assert.rejects(stat(t.ourConfig), { code: 'ENOENT' });
  });

  it('an unusable setting is refused before anything is written', async () => {
    await assert.rejects(
      syncSshConfig([runningDeployment()], { ...settings, identityFile: '/keys/"evil"' }),
      InvalidSshSettingError,
    );
    await assert.rejects(stat(t.sshDir), { code: 'ENOENT' });
  });

  it('uses remote.SSH.configFile in a directory that does not exist yet', async () => {
    const custom = join(t.home, 'cfg', 'nested', 'ssh_config');
    const result = await syncSshConfig([runningDeployment({ name: 'c' })], {
      ...settings,
      userConfigPath: custom,
    });
    assert.equal(await readFile(custom, 'utf8'), includeBlock());
    assert.equal((await stat(join(t.home, 'cfg', 'nested'))).mode & 0o777, 0o700);
    assert.ok(result.filesWritten.includes(custom));
    assert.equal(first(sshG(custom, 'spheron-c'), 'user'), 'ubuntu');
  });

  it('leaves an Include block the user moved below their settings, and reports it', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    const text = `Host *\n  User someone\n${includeBlock()}`;
    await writeFile(t.userConfig, text);
    const result = await syncSshConfig([runningDeployment()], settings);
    assert.equal(await readFile(t.userConfig, 'utf8'), text);
    assert.equal(result.include.state, 'not-at-top');

    const fixed = await fixUserConfig('move-include-to-top', settings);
    assert.equal(fixed.changed, true);
    assert.equal(await readFile(t.userConfig, 'utf8'), `${includeBlock()}Host *\n  User someone\n`);
  });

  it('remove-include restores the user file byte for byte', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    const text = '# mine\r\nHost a\r\n  User b';
    await writeFile(t.userConfig, text);
    await syncSshConfig([runningDeployment()], settings);
    assert.notEqual(await readFile(t.userConfig, 'utf8'), text);
    assert.deepEqual(await fixUserConfig('remove-include', settings), {
      content: await readFile(t.userConfig),
      changed: true,
    });
    assert.equal(await readFile(t.userConfig, 'utf8'), text);
  });

  it('refuses to include the SSH config into itself', async () => {
    await assert.rejects(
      syncSshConfig([runningDeployment()], { ...settings, ourConfigPath: t.userConfig }),
      InvalidSshSettingError,
    );
  });

  it('removes blocks of instances that ended, and their known_hosts entries', async () => {
    const stays = runningDeployment({ name: 'stays', sshPort: 2222 });
    const goes = runningDeployment({ name: 'goes', sshPort: 2200 });
    await syncSshConfig([stays, goes], settings);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE';
    await writeFile(
      t.knownHosts,
      `[spheron-${stays.id}]:2222 ${key}\n[spheron-${goes.id}]:2200 ${key}\nspheron-${goes.id} ${key}\n# note\n`,
    );
    const result = await syncSshConfig([stays, { ...goes, status: 'terminated' }], settings);
    assert.deepEqual(result.removed, [
      { deploymentId: goes.id, alias: 'spheron-goes', port: 2200, reason: 'ended' },
    ]);
    assert.ok(result.filesWritten.includes(t.knownHosts));
    assert.equal(await readFile(t.knownHosts, 'utf8'), `[spheron-${stays.id}]:2222 ${key}\n# note\n`);
    const ours = await readFile(t.ourConfig, 'utf8');
    assert.doesNotMatch(ours, /spheron-goes/);
    assert.match(ours, /Host spheron-stays /);
    // ssh no longer knows the alias: it would resolve it as a host name
    assert.equal(first(sshG(t.userConfig, 'spheron-goes'), 'hostname'), 'spheron-goes');
  });

  it('keeps aliases and local ports stable across syncs and instance churn', async () => {
    const a = runningDeployment({ name: 'same', createdAtMs: 1 });
    const b = runningDeployment({ name: 'same', createdAtMs: 2 });
    const first1 = await syncSshConfig([a, b], settings);
    const snapshot = (hosts: typeof first1.hosts) =>
      new Map(
        hosts.map((host) => [
          host.deploymentId,
          `${host.alias} ${host.forwards.map((f) => f.localPort).join(',')}`,
        ]),
      );
    const before = snapshot(first1.hosts);
    assert.equal(before.get(a.id), 'spheron-same 8888,6006');
    assert.equal(before.get(b.id), `spheron-same-${b.id.slice(-6)} 8889,6007`);
    // list order changes, an older instance with the same name appears: nothing moves
    const c = runningDeployment({ name: 'same', createdAtMs: 0 });
    const second = await syncSshConfig([c, b, a], settings);
    const after = snapshot(second.hosts);
    assert.equal(after.get(a.id), before.get(a.id));
    assert.equal(after.get(b.id), before.get(b.id));
    assert.equal(after.get(c.id), `spheron-same-${c.id.slice(-6)} 8890,6008`);
    // renames: the aliases follow the names, the ports stay
    const third = snapshot(
      (await syncSshConfig([c, { ...b, name: 'x' }, { ...a, name: 'y' }], settings)).hosts,
    );
    assert.equal(third.get(a.id), 'spheron-y 8888,6006');
    assert.equal(third.get(b.id), 'spheron-x 8889,6007');
    assert.equal(third.get(c.id), after.get(c.id));
    assert.doesNotMatch(await readFile(t.ourConfig, 'utf8'), /^Host spheron-same /m);
  });

  it('reports skipped instances and writes no block for them', async () => {
    const result = await syncSshConfig(
      [
        runningDeployment({ name: 'fine' }),
        runningDeployment({ name: 'evil', ipAddress: '1.2.3.4\nProxyCommand x' }),
      ],
      settings,
    );
    assert.deepEqual(
      result.skipped.map((entry) => entry.name),
      ['evil'],
    );
    assert.doesNotMatch(await readFile(t.ourConfig, 'utf8'), /evil|ProxyCommand/);
  });

  describe('fault injection', () => {
    it('cleans up the temp file when the rename fails', async () => {
      await mkdir(t.sshDir, { mode: 0o700 });
      await writeFile(t.userConfig, 'Host a\n');
      const failing: SshFileSystem = {
        ...nodeFileSystem,
        rename: (from, to) =>
          to === t.userConfig
            ? Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }))
            : nodeFileSystem.rename(from, to),
      };
      await assert.rejects(syncSshConfig([runningDeployment()], settings, { fs: failing }), /EIO/);
      assert.deepEqual((await readdir(t.sshDir)).sort(), ['config', 'spheron']);
      assert.equal(await readFile(t.userConfig, 'utf8'), 'Host a\n');
      assert.deepEqual(await readdir(join(t.sshDir, 'spheron')), ['config']);
    });

    it('compare-and-swap: an edit made between our read and our rename is kept', async () => {
      await mkdir(t.sshDir, { mode: 0o700 });
      await writeFile(t.userConfig, 'Host a\n');
      let interfered = false;
      const racing: SshFileSystem = {
        ...nodeFileSystem,
        async writeNewFile(path, data, mode) {
          await nodeFileSystem.writeNewFile(path, data, mode);
          if (!interfered && path.includes('.config.spheron-') && path.startsWith(t.sshDir + '/.')) {
            interfered = true;
            await writeFile(t.userConfig, 'Host a\nHost added-meanwhile\n');
          }
        },
      };
      await syncSshConfig([runningDeployment()], settings, { fs: racing });
      assert.equal(interfered, true);
      assert.equal(await readFile(t.userConfig, 'utf8'), `${includeBlock()}Host a\nHost added-meanwhile\n`);
      assert.deepEqual((await readdir(t.sshDir)).sort(), ['config', 'spheron']);
    });

    it('gives up with ConcurrentChangeError when the file never stops changing', async () => {
      await mkdir(t.sshDir, { mode: 0o700 });
      await writeFile(t.userConfig, 'Host a\n');
      let edits = 0;
      const racing: SshFileSystem = {
        ...nodeFileSystem,
        async writeNewFile(path, data, mode) {
          await nodeFileSystem.writeNewFile(path, data, mode);
          if (path.startsWith(t.sshDir + '/.config.spheron-')) {
            edits++;
            await writeFile(t.userConfig, `Host a\n# edit ${edits}\n`);
          }
        },
      };
      await assert.rejects(
        syncSshConfig([runningDeployment()], settings, { fs: racing, maxAttempts: 3 }),
        ConcurrentChangeError,
      );
      assert.equal(edits, 3);
      assert.equal(await readFile(t.userConfig, 'utf8'), 'Host a\n# edit 3\n');
      assert.deepEqual((await readdir(t.sshDir)).sort(), ['config', 'spheron']);
    });
  });
});
