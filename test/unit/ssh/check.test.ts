import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkSshSetup, type CheckSshSetupOptions } from '../../../src/core/ssh/check';
import type { ExecFn, ExecResult } from '../../../src/core/ssh/exec';
import { parseSshVersion, supportsAcceptNew } from '../../../src/core/ssh/sshVersion';
import { fixUserConfig, syncSshConfig, type SshSyncSettings } from '../../../src/core/ssh/sync';
import { includeBlockText } from '../../../src/core/ssh/userConfig';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

function fakeExec(answers: Record<string, ExecResult>): ExecFn & { calls: string[][] } {
  const calls: string[][] = [];
  const exec = (file: string, args: readonly string[]) => {
    calls.push([file, ...args]);
    const answer = answers[args[0] ?? ''];
    return Promise.resolve(answer ?? { exitCode: 0, stdout: '', stderr: '' });
  };
  return Object.assign(exec, { calls });
}

describe('ssh/check', () => {
  let t: TempHome;
  let settings: SshSyncSettings;
  let options: CheckSshSetupOptions;

  beforeEach(async () => {
    t = await makeTempHome('spheron-check-');
    settings = {
      homeDir: t.home,
      userConfigPath: t.userConfig,
      identityFile: join(t.home, '.ssh', 'id ed25519'),
    };
    options = { userConfigPath: t.userConfig, ourConfigPath: t.ourConfig, homeDir: t.home };
  });
  afterEach(async () => {
    await t.cleanup();
  });

  describe('parseSshVersion', () => {
    it('reads Linux, macOS and Windows builds', () => {
      assert.deepEqual(parseSshVersion('OpenSSH_9.2p1 Debian-2+deb12u6, OpenSSL 3.0.19'), {
        major: 9,
        minor: 2,
        raw: 'OpenSSH_9.2p1 Debian-2+deb12u6, OpenSSL 3.0.19',
      });
      assert.equal(parseSshVersion('OpenSSH_for_Windows_8.1p1, LibreSSL 3.0.2')?.major, 8);
      assert.equal(parseSshVersion('OpenSSH_7.5p1')?.minor, 5);
      assert.equal(parseSshVersion('PuTTY'), undefined);
      assert.equal(supportsAcceptNew({ major: 7, minor: 6, raw: '' }), true);
      assert.equal(supportsAcceptNew({ major: 7, minor: 5, raw: '' }), false);
    });
  });

  describe('with an injected exec', () => {
    it('reports a missing ssh client and stops', async () => {
      const exec = fakeExec({ '-V': { exitCode: null, stdout: '', stderr: '', spawnError: 'ENOENT' } });
      const report = await checkSshSetup('spheron-x', { ...options, exec, sshPath: 'C:/nope/ssh.exe' });
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['ssh-missing'],
      );
      assert.match(report.problems[0]?.message ?? '', /C:\/nope\/ssh\.exe: ENOENT/);
      assert.equal(exec.calls.length, 1);
    });

    it('reports OpenSSH older than 7.6 (no accept-new)', async () => {
      await syncSshConfig([runningDeployment({ name: 'old' })], settings);
      const exec = fakeExec({
        '-V': { exitCode: 0, stdout: '', stderr: 'OpenSSH_7.4p1, OpenSSL 1.0.2k-fips\n' },
        '-G': {
          exitCode: 255,
          stdout: '',
          stderr: `${t.ourConfig} line 12: unsupported option "accept-new".\n`,
        },
      });
      const report = await checkSshSetup('spheron-old', { ...options, exec });
      assert.equal(report.sshVersion?.minor, 4);
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['ssh-too-old', 'ssh-failed'],
      );
      assert.match(report.problems[1]?.message ?? '', /unsupported option/);
      assert.deepEqual(exec.calls[1], ['ssh', '-G', '-F', t.userConfig, '--', 'spheron-old']);
    });

    it('says so when the alias is not one of ours', async () => {
      await syncSshConfig([runningDeployment({ name: 'known' })], settings);
      const report = await checkSshSetup('spheron-unknown', {
        ...options,
        exec: fakeExec({ '-V': { exitCode: 0, stdout: '', stderr: 'OpenSSH_9.6p1' } }),
      });
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['host-unknown'],
      );
    });
  });

  describe('with the real ssh -G', () => {
    it('finds nothing wrong right after a sync', async () => {
      const result = await syncSshConfig(
        [runningDeployment({ name: 'fine', sshPort: 2201, sshUser: 'root' })],
        settings,
      );
      const report = await checkSshSetup('spheron-fine', options);
      assert.deepEqual(report.problems, []);
      assert.equal(report.ok, true);
      assert.ok(report.sshVersion);
      assert.deepEqual(
        report.options.map((check) => [check.option, check.ok]),
        [
          ['hostname', true],
          ['user', true],
          ['port', true],
          ['identityfile', true],
          ['identitiesonly', true],
          ['hostkeyalias', true],
          ['userknownhostsfile', true],
          ['stricthostkeychecking', true],
          ['checkhostip', true],
          ['serveraliveinterval', true],
          ['localforward', true],
          ['localforward', true],
        ],
      );
      assert.equal(report.options[0]?.expected, result.hosts[0]?.hostName);
    });

    it('explains which earlier lines win, with line numbers and advice, and the fix works', async () => {
      await syncSshConfig([runningDeployment({ name: 'prec' })], settings);
      const block = includeBlockText(t.ourConfig);
      await writeFile(
        t.userConfig,
        [
          'StrictHostKeyChecking no',
          'Host *',
          '  UserKnownHostsFile /dev/null',
          '  LogLevel ERROR',
          'Match all',
          '  User admin',
          block,
          '',
        ].join('\n'),
      );
      const report = await checkSshSetup('spheron-prec', options);
      assert.equal(report.ok, false);
      const failed = new Map(
        report.options.filter((check) => !check.ok).map((check) => [check.option, check]),
      );
      assert.deepEqual([...failed.keys()].sort(), ['stricthostkeychecking', 'user', 'userknownhostsfile']);
      assert.deepEqual(failed.get('stricthostkeychecking')?.source?.line, {
        number: 1,
        text: 'StrictHostKeyChecking no',
      });
      assert.equal(failed.get('stricthostkeychecking')?.source?.section, undefined);
      assert.deepEqual(failed.get('userknownhostsfile')?.source?.section, { number: 2, text: 'Host *' });
      assert.equal(failed.get('userknownhostsfile')?.source?.line.number, 3);
      assert.deepEqual(failed.get('user')?.source?.section, { number: 5, text: 'Match all' });
      assert.deepEqual(failed.get('user')?.actual, ['admin']);

      const kinds = report.problems.map((problem) => problem.kind);
      assert.deepEqual(kinds, [
        'include-not-at-top',
        'option-overridden',
        'option-overridden',
        'option-overridden',
      ]);
      const hostKey = report.problems.find((problem) => problem.option === 'userknownhostsfile');
      assert.equal(hostKey?.line, 3);
      assert.match(hostKey?.message ?? '', /"Host \*" block at line 2/);
      assert.match(hostKey?.advice ?? '', /Move the Spheron block \(lines 7-9\) to the very top/);
      assert.match(hostKey?.advice ?? '', /"Host \* !spheron-\*"/);

      await fixUserConfig('move-include-to-top', settings);
      const fixed = await checkSshSetup('spheron-prec', options);
      assert.deepEqual(fixed.problems, []);
    });

    it('reports an alias that got a suffix because the user has a host by that name, and still passes', async () => {
      await mkdir(t.sshDir, { recursive: true, mode: 0o700 });
      await writeFile(t.userConfig, 'Host spheron-mybox\n  HostName 192.0.2.10\n');
      const box = runningDeployment({ name: 'mybox' });
      const synced = await syncSshConfig([box], settings);
      const alias = synced.hosts[0]?.alias ?? '';
      const report = await checkSshSetup(alias, { ...options, aliasConflicts: synced.aliasConflicts });
      assert.equal(report.ok, true);
      assert.deepEqual(
        report.problems.map((problem) => [problem.kind, problem.line]),
        [['alias-renamed', 1]],
      );
      assert.match(report.problems[0]?.message ?? '', new RegExp(`is ${alias} instead of spheron-mybox`));
    });

    it('reports lines a user put between the markers', async () => {
      await syncSshConfig([runningDeployment({ name: 'noted' })], settings);
      const [begin, include, end] = includeBlockText(t.ourConfig).split('\n');
      await writeFile(t.userConfig, `${begin}\n# my own note\n${include}\n${end}\n`);
      const report = await checkSshSetup('spheron-noted', options);
      assert.deepEqual(
        report.problems.map((problem) => [problem.kind, problem.line]),
        [['user-lines-in-block', 2]],
      );
      assert.equal(report.ok, true);
    });

    it('reports an Include inside another Host block', async () => {
      await syncSshConfig([runningDeployment({ name: 'scoped' })], settings);
      await writeFile(t.userConfig, `Host build\n  HostName 10.0.0.1\n${includeBlockText(t.ourConfig)}\n`);
      const report = await checkSshSetup('spheron-scoped', options);
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['include-inside-section', 'host-not-applied'],
      );
      assert.match(report.problems[0]?.message ?? '', /sits under "Host build" \(line 1\)/);
      assert.equal(report.problems[0]?.line, 3);
    });

    it('reports a missing Include with the lines to add', async () => {
      await syncSshConfig([runningDeployment({ name: 'lost' })], settings);
      await writeFile(t.userConfig, 'Host other\n');
      const report = await checkSshSetup('spheron-lost', options);
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['include-missing', 'host-not-applied'],
      );
      assert.ok(report.problems[0]?.advice.includes(`Include "${t.ourConfig}"`));
    });

    it('reports a BOM, which OpenSSH rejects', async () => {
      await syncSshConfig([runningDeployment({ name: 'bom' })], settings);
      await mkdir(t.sshDir, { recursive: true });
      await writeFile(
        t.userConfig,
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${includeBlockText(t.ourConfig)}\n`)]),
      );
      const report = await checkSshSetup('spheron-bom', options);
      assert.deepEqual(
        report.problems.map((problem) => problem.kind),
        ['bom', 'ssh-failed'],
      );
      assert.match(report.problems[1]?.message ?? '', /Bad configuration option/);
    });

    it('accepts explicit expectations and flags a LocalForward that is not there', async () => {
      const result = await syncSshConfig([runningDeployment({ name: 'exp' })], settings);
      const host = result.hosts[0];
      assert.ok(host);
      const report = await checkSshSetup('spheron-exp', {
        ...options,
        expected: { hostname: host.hostName, localforward: ['127.0.0.1:9999 localhost:9999'] },
      });
      assert.deepEqual(
        report.options.map((check) => [check.option, check.ok]),
        [
          ['hostname', true],
          ['localforward', false],
        ],
      );
    });
  });
});
