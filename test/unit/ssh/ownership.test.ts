// Who may remove what: entries and pins go only on their own team's word, never on a lagging list;
// aliases never take over the user's own hosts; a no-change sync redoes nothing; Remove SSH Entries
// restores the user's config byte for byte.
import * as assert from 'node:assert/strict';
import { chmod, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileSystem, type SshFileSystem } from '../../../src/core/ssh/fileSystem';
import {
  ABSENT_ENTRY_GRACE_MS,
  DEFAULT_PORT_FORWARDS,
  planHosts,
  renderOurConfig,
  UNCLAIMED_ENTRY_MAX_AGE_MS,
} from '../../../src/core/ssh/hostBlocks';
import {
  removeSshEntries,
  SshSyncCache,
  syncSshConfig,
  type SshSyncSettings,
} from '../../../src/core/ssh/sync';
import { BEGIN_MARKER, END_MARKER } from '../../../src/core/ssh/userConfig';
import { first, sshG } from './helpers/sshG';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE';
const T0 = 1_800_000_000_000;

describe('ssh/sync ownership', () => {
  let t: TempHome;
  let settings: SshSyncSettings;

  beforeEach(async () => {
    t = await makeTempHome();
    settings = { homeDir: t.home, userConfigPath: t.userConfig, teamId: 'team-a' };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a list fetched before an instance was added keeps its entry and pin; a later one removes both', async () => {
    const old = runningDeployment({ name: 'old' });
    const fresh = runningDeployment({ name: 'fresh' });
    await syncSshConfig([old], settings, { now: () => T0 });
    // Another window of the same team saw the new instance and wrote it; ssh pinned its key.
    await syncSshConfig([old, fresh], settings, { now: () => T0 + 60_000 });
    await writeFile(t.knownHosts, `spheron-${old.id} ${KEY}\nspheron-${fresh.id} ${KEY}\n`);

    // This window's list was fetched before that, and does not know the new instance yet.
    const lagging = await syncSshConfig(
      [old],
      { ...settings, listFetchedAtMs: T0 + 59_000 },
      { now: () => T0 + 61_000 },
    );
    assert.deepEqual(lagging.removed, []);
    assert.deepEqual(lagging.hosts.map((host) => host.alias).sort(), ['spheron-fresh', 'spheron-old']);
    assert.equal(first(sshG(t.userConfig, 'spheron-fresh'), 'hostname'), fresh.ipAddress);

    // A list fetched well after it was added, still without it: the instance is gone.
    const later = T0 + 60_000 + ABSENT_ENTRY_GRACE_MS + 1;
    const gone = await syncSshConfig([old], { ...settings, listFetchedAtMs: later }, { now: () => later });
    assert.deepEqual(
      gone.removed.map((entry) => [entry.alias, entry.reason]),
      [['spheron-fresh', 'gone']],
    );
    assert.equal(await readFile(t.knownHosts, 'utf8'), `spheron-${old.id} ${KEY}\n`);
  });

  it('keeps the entry of a stopped instance as it was, and drops it when the instance ends', async () => {
    const box = runningDeployment({ name: 'box', sshPort: 2200 });
    await syncSshConfig([box], settings);
    const stopped = await syncSshConfig([{ ...box, status: 'stopped', ipAddress: null }], settings);
    assert.deepEqual(stopped.removed, []);
    assert.equal(stopped.hosts[0]?.hostName, box.ipAddress);
    assert.equal(stopped.hosts[0]?.port, 2200);
    const ended = await syncSshConfig([{ ...box, status: 'terminated' }], settings);
    assert.deepEqual(
      ended.removed.map((entry) => entry.reason),
      ['ended'],
    );
    assert.deepEqual(ended.hosts, []);
  });

  it('never takes over a host of the user config: the alias gets a suffix and the clash is reported', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    const user = 'Host spheron-mybox\n  HostName 192.0.2.10\n  User me\n';
    await writeFile(t.userConfig, user);
    const box = runningDeployment({ name: 'mybox' });
    const result = await syncSshConfig([box], settings);
    const alias = result.hosts[0]?.alias ?? '';
    assert.equal(alias, `spheron-mybox-${box.id.slice(-6)}`);
    assert.deepEqual(result.aliasConflicts, [
      {
        deploymentId: box.id,
        wanted: 'spheron-mybox',
        alias,
        userLine: { number: 1, text: 'Host spheron-mybox' },
      },
    ]);
    const mine = sshG(t.userConfig, 'spheron-mybox');
    assert.equal(first(mine, 'hostname'), '192.0.2.10');
    assert.equal(first(mine, 'user'), 'me');
    assert.equal(first(sshG(t.userConfig, alias), 'hostname'), box.ipAddress);

    // A host the user adds later by the name we had handed out wins as well.
    const other = runningDeployment({ name: 'other' });
    await syncSshConfig([box, other], settings);
    await writeFile(
      t.userConfig,
      `${await readFile(t.userConfig, 'utf8')}Host spheron-other\n  HostName 192.0.2.11\n`,
    );
    const again = await syncSshConfig([box, other], settings);
    assert.equal(
      again.hosts.find((host) => host.deploymentId === other.id)?.alias,
      `spheron-other-${other.id.slice(-6)}`,
    );
    assert.equal(first(sshG(t.userConfig, 'spheron-other'), 'hostname'), '192.0.2.11');
  });

  it('also leaves alone the hosts of files the user config includes, and notices a new one', async () => {
    await mkdir(join(t.sshDir, 'config.d'), { recursive: true, mode: 0o700 });
    // Absolute: ssh resolves a relative Include against the real ~/.ssh, not this test's home.
    await writeFile(t.userConfig, `Include ${join(t.sshDir, 'config.d')}/*\n`);
    const work = join(t.sshDir, 'config.d', 'work');
    await writeFile(work, '# mine\nHost spheron-mybox\n  HostName 192.0.2.10\n');
    const cache = new SshSyncCache();
    const box = runningDeployment({ name: 'mybox' });
    const other = runningDeployment({ name: 'other' });
    const result = await syncSshConfig([box, other], settings, { cache });
    assert.deepEqual(
      result.aliasConflicts.map((conflict) => [conflict.alias, conflict.userLine]),
      [[`spheron-mybox-${box.id.slice(-6)}`, { number: 2, text: 'Host spheron-mybox', file: work }]],
    );
    assert.equal(first(sshG(t.userConfig, 'spheron-mybox'), 'hostname'), '192.0.2.10');

    // A new file in the included directory: the cached no-change answer no longer holds.
    await writeFile(join(t.sshDir, 'config.d', 'lab'), 'Host spheron-other\n  HostName 192.0.2.11\n');
    const again = await syncSshConfig([box, other], settings, { cache });
    assert.equal(again.unchanged, false);
    assert.equal(first(sshG(t.userConfig, 'spheron-other'), 'hostname'), '192.0.2.11');
    const unchanged = await syncSshConfig([box, other], settings, { cache });
    assert.equal(unchanged.unchanged, true);
  });

  it('writes the Include in the ~ form and leaves an absolute one as it is', async () => {
    await syncSshConfig([runningDeployment()], { ...settings, tildeHome: t.home });
    assert.equal(
      await readFile(t.userConfig, 'utf8'),
      `${BEGIN_MARKER}\nInclude "~/.ssh/spheron/config"\n${END_MARKER}\n`,
    );
    const absolute = `${BEGIN_MARKER}\nInclude "${t.ourConfig}"\n${END_MARKER}\nHost a\n`;
    await writeFile(t.userConfig, absolute);
    const result = await syncSshConfig([runningDeployment()], { ...settings, tildeHome: t.home });
    assert.ok(!result.filesWritten.includes(t.userConfig));
    assert.equal(await readFile(t.userConfig, 'utf8'), absolute);
  });

  it('returns before any parsing, lock or write when inputs and files are unchanged', async () => {
    const cache = new SshSyncCache();
    const list = [runningDeployment(), runningDeployment()];
    await syncSshConfig(list, settings, { cache });
    const calls: string[] = [];
    const watching: SshFileSystem = {
      ...nodeFileSystem,
      writeNewFile: (path, data, mode) => {
        calls.push(`write ${path}`);
        return nodeFileSystem.writeNewFile(path, data, mode);
      },
      mkdir: (path, mode) => {
        calls.push(`mkdir ${path}`);
        return nodeFileSystem.mkdir(path, mode);
      },
    };
    const noop = await syncSshConfig(list, settings, { cache, fs: watching });
    assert.equal(noop.unchanged, true);
    assert.equal(noop.written, false);
    assert.deepEqual(calls, [], 'no lock file, no directory, no write');

    // A file changed on disk (the user deleted a host block by hand): the full sync runs again.
    await writeFile(t.ourConfig, '# emptied by hand\n');
    const repaired = await syncSshConfig(list, settings, { cache });
    assert.equal(repaired.unchanged, false);
    assert.deepEqual(repaired.filesWritten, [t.ourConfig]);
  });

  it('tightens an existing ~/.ssh/spheron folder to 0700', async () => {
    await mkdir(join(t.sshDir, 'spheron'), { recursive: true });
    await chmod(join(t.sshDir, 'spheron'), 0o755);
    await syncSshConfig([runningDeployment()], settings);
    assert.equal((await stat(join(t.sshDir, 'spheron'))).mode & 0o777, 0o700);
  });

  it('Remove SSH Entries restores the user config byte for byte and removes our files', async () => {
    await mkdir(t.sshDir, { mode: 0o700 });
    const original = Buffer.from('\u00ef\u00bb\u00bf# mine\r\nHost a\r\n  User x', 'latin1');
    await writeFile(t.userConfig, original);
    await syncSshConfig([runningDeployment()], settings);
    await syncSshConfig([runningDeployment()], { ...settings, teamId: 'team-b' });
    await writeFile(t.knownHosts, `spheron-x ${KEY}\n`);
    const result = await removeSshEntries(settings);
    assert.equal(result.includeRemoved, true);
    assert.deepEqual([...result.filesRemoved].sort(), [t.knownHosts, t.ourConfig].sort());
    assert.deepEqual(await readFile(t.userConfig), original);
    assert.deepEqual(await readdir(join(t.sshDir, 'spheron')), []);
    // a second run finds nothing to do
    assert.deepEqual(await removeSshEntries(settings), { includeRemoved: false, filesRemoved: [] });
  });

  it('Remove SSH Entries holds the lock throughout: a sync from another window cannot land between its steps', async () => {
    const removedHere = runningDeployment({ name: 'here' });
    const otherWindow = runningDeployment({ name: 'elsewhere' });
    await syncSshConfig([removedHere], settings);
    const lockPath = `${t.ourConfig}.lock`;
    let otherWindowSynced = false;
    // The other window syncs the moment our lock is first released.
    const fs: SshFileSystem = {
      ...nodeFileSystem,
      async unlink(path) {
        await nodeFileSystem.unlink(path);
        if (path === lockPath && !otherWindowSynced) {
          otherWindowSynced = true;
          await syncSshConfig([otherWindow], { ...settings, teamId: 'team-b' });
        }
      },
    };
    const result = await removeSshEntries(settings, { fs });
    assert.equal(otherWindowSynced, true);
    assert.equal(result.includeRemoved, true);
    assert.ok(result.filesRemoved.includes(t.ourConfig));
    // The other window wrote after the removal: its Include and its file are both there, so its
    // host resolves (with a release in between, the file was deleted under its Include).
    assert.equal(first(sshG(t.userConfig, 'spheron-elsewhere'), 'hostname'), otherWindow.ipAddress);
    assert.doesNotMatch(await readFile(t.ourConfig, 'utf8'), /spheron-here/);
  });

  it('a file from before team sections: each team claims its own hosts, nobody drops the others', async () => {
    const a = runningDeployment({ name: 'from-a' });
    const b = runningDeployment({ name: 'from-b' });
    const gone = runningDeployment({ name: 'long-gone' });
    // The old format: one list of hosts, no sections, written by whichever window synced last.
    const old = planHosts([a, b, gone], [], DEFAULT_PORT_FORWARDS);
    await mkdir(join(t.sshDir, 'spheron'), { recursive: true, mode: 0o700 });
    const oldText = renderOurConfig(old.hosts, {
      identityFile: undefined,
      knownHostsPath: t.knownHosts,
      strictHostKeyChecking: 'accept-new',
    });
    await writeFile(t.ourConfig, oldText.replace(/^ {2}# spheron-added: \d+\n/gm, ''));
    const pins = [a, b, gone].map((d) => `spheron-${d.id} ${KEY}\n`).join('');
    await writeFile(t.knownHosts, pins);

    await syncSshConfig([a], { ...settings, teamId: 'team-a' }, { now: () => T0 });
    await syncSshConfig([b], { ...settings, teamId: 'team-b' }, { now: () => T0 + 1_000 });
    for (const d of [a, b, gone]) {
      assert.equal(
        first(sshG(t.userConfig, `spheron-${d.name ?? ''}`), 'hostname'),
        d.ipAddress,
        d.name ?? '',
      );
    }
    assert.equal(await readFile(t.knownHosts, 'utf8'), pins);
    const ours = await readFile(t.ourConfig, 'utf8');
    assert.match(ours, /# >>> spheron team team-a >>>\n\nHost spheron-from-a /);
    assert.match(ours, /# >>> spheron team team-b >>>\n\nHost spheron-from-b /);
    assert.match(ours, /# >>> spheron team unclaimed >>>\n\nHost spheron-long-gone /);

    // A host no team's list names for a week goes, with its pin.
    const later = T0 + UNCLAIMED_ENTRY_MAX_AGE_MS + 1;
    await syncSshConfig([a], { ...settings, teamId: 'team-a' }, { now: () => later });
    assert.doesNotMatch(await readFile(t.ourConfig, 'utf8'), /long-gone/);
    assert.equal(await readFile(t.knownHosts, 'utf8'), pins.replace(`spheron-${gone.id} ${KEY}\n`, ''));
  });
});
