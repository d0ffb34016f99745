// Two processes (as two VS Code windows would) sync against the same files many times.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOurConfig } from '../../../src/core/ssh/hostBlocks';
import { syncSshConfig } from '../../../src/core/ssh/sync';
import { BEGIN_MARKER, END_MARKER } from '../../../src/core/ssh/userConfig';
import { first, sshG } from './helpers/sshG';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

const WORKER = join(__dirname, 'helpers', 'syncWorker.ts');
const ITERATIONS = 40;

interface WorkerLine {
  readonly worker: string;
  readonly i: number;
  readonly common: string | null;
  readonly written: boolean;
  readonly ids: readonly string[];
}

function runWorker(config: object): Promise<WorkerLine[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(config)], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`worker exited with ${String(code)}: ${stderr}`));
        return;
      }
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as WorkerLine),
      );
    });
  });
}

describe('ssh/sync from two processes at once', function () {
  this.timeout(120_000);
  let t: TempHome;
  before(async () => {
    t = await makeTempHome('spheron-concurrent-');
  });
  after(async () => {
    await t.cleanup();
  });

  it('never loses or corrupts an entry, keeps the user bytes and one Include', async () => {
    const userText =
      '# my config\r\nHost *\r\n  ServerAliveInterval 7\r\n\r\nHost work\r\n  HostName 10.9.8.7\r\n';
    await mkdir(t.sshDir, { mode: 0o700 });
    await writeFile(t.userConfig, userText);
    const common = runningDeployment({ name: 'common', createdAtMs: 0 });
    const xs = [0, 1, 2, 3].map((n) => runningDeployment({ name: `x-${n}`, createdAtMs: 10 + n }));
    const ys = [0, 1, 2, 3].map((n) => runningDeployment({ name: `y-${n}`, createdAtMs: 20 + n }));
    const [x0, y0] = [xs[0], ys[0]];
    assert.ok(x0 && y0);
    const finalState = [common, x0, y0];
    await writeFile(t.knownHosts, `spheron-${common.id} ssh-ed25519 AAAAkeep\n`).catch(async () => {
      await mkdir(join(t.sshDir, 'spheron'), { mode: 0o700 });
      await writeFile(t.knownHosts, `spheron-${common.id} ssh-ed25519 AAAAkeep\n`);
    });

    const shared = {
      home: t.home,
      userConfig: t.userConfig,
      iterations: ITERATIONS,
      common,
      final: finalState,
      // Same team, and lists that always know every instance: absent means gone.
      absentGraceMs: 0,
    };
    const [a, b] = await Promise.all([
      runWorker({ ...shared, worker: 'a', own: xs }),
      runWorker({ ...shared, worker: 'b', own: ys }),
    ]);
    assert.equal(a.length, ITERATIONS);
    assert.equal(b.length, ITERATIONS);
    // The always-running instance kept its alias and ports through every write of both processes.
    for (const line of [...a, ...b]) {
      assert.equal(line.common, 'spheron-common 8888,6006', JSON.stringify(line));
    }
    assert.ok(
      [...a, ...b].filter((line) => line.written).length > ITERATIONS,
      'the workers really contended',
    );

    // The user's bytes are intact, with exactly one Include block on top.
    const include = `${BEGIN_MARKER}\r\nInclude "${t.ourConfig}"\r\n${END_MARKER}\r\n`;
    assert.equal(await readFile(t.userConfig, 'utf8'), include + userText);

    // Our file parses and holds exactly the final state; a further sync is a no-op (fixed point).
    const ours = await readFile(t.ourConfig, 'utf8');
    const parsed = parseOurConfig(ours);
    assert.deepEqual(parsed.map((entry) => entry.deploymentId).sort(), finalState.map((d) => d.id).sort());
    const ports = parsed.flatMap((entry) => [...entry.localPorts.values()]);
    assert.equal(new Set(ports).size, ports.length, 'local ports are distinct');
    const again = await syncSshConfig(finalState, {
      homeDir: t.home,
      userConfigPath: t.userConfig,
      absentGraceMs: 0,
    });
    assert.equal(again.written, false);

    // ssh reads it, for every host, and the user's own settings still apply to their host.
    for (const host of again.hosts) {
      assert.equal(first(sshG(t.userConfig, host.alias), 'hostkeyalias'), host.hostKeyAlias);
    }
    assert.equal(first(sshG(t.userConfig, 'work'), 'serveraliveinterval'), '7');
    assert.equal(await readFile(t.knownHosts, 'utf8'), `spheron-${common.id} ssh-ed25519 AAAAkeep\n`);

    // No temp or lock file is left behind.
    assert.deepEqual((await readdir(t.sshDir)).sort(), ['config', 'spheron']);
    assert.deepEqual((await readdir(join(t.sshDir, 'spheron'))).sort(), ['config', 'known_hosts']);
  });

  it('two windows of two teams keep the hosts of both teams and pins in every write', async () => {
    const home = await makeTempHome('spheron-teams-');
    try {
      await mkdir(join(home.sshDir, 'spheron'), { recursive: true, mode: 0o700 });
      const teamA = [1, 2, 3].map((n) => runningDeployment({ name: `a-${n}` }));
      const teamB = [1, 2, 3].map((n) => runningDeployment({ name: `b-${n}` }));
      const settings = { homeDir: home.home, userConfigPath: home.userConfig };
      await syncSshConfig(teamA, { ...settings, teamId: 'team-a' });
      await syncSshConfig(teamB, { ...settings, teamId: 'team-b' });
      const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEXAMPLE';
      const pins = [...teamA, ...teamB].map((d) => `spheron-${d.id} ${key}\n`).join('');
      await writeFile(home.knownHosts, pins);

      // Each window's list holds its own team, complete. Absent entries count as gone at once
      // (no grace for lagging lists), so only the per-team sections keep the other team's hosts.
      const worker = (name: string, teamId: string, team: typeof teamA) => {
        const [common] = team;
        assert.ok(common);
        return runWorker({
          ...settings,
          userConfig: home.userConfig,
          home: home.home,
          worker: name,
          teamId,
          iterations: ITERATIONS,
          common,
          own: [],
          final: team,
          absentGraceMs: 0,
        });
      };
      const [a, b] = await Promise.all([worker('a', 'team-a', teamA), worker('b', 'team-b', teamB)]);
      const everyId = [...teamA, ...teamB].map((d) => d.id).sort();
      for (const line of [...a, ...b]) {
        assert.deepEqual([...line.ids].sort(), everyId, `${line.worker}#${line.i}`);
      }
      assert.equal(await readFile(home.knownHosts, 'utf8'), pins, 'no pin was pruned');

      // Team A's list says a-1 ended: its entry and its pin go, nothing of team B's.
      const [a1] = teamA;
      assert.ok(a1);
      const ended = await syncSshConfig([{ ...a1, status: 'terminated' }, ...teamA.slice(1)], {
        ...settings,
        teamId: 'team-a',
      });
      assert.deepEqual(
        ended.removed.map((entry) => entry.deploymentId),
        [a1.id],
      );
      assert.equal(await readFile(home.knownHosts, 'utf8'), pins.replace(`spheron-${a1.id} ${key}\n`, ''));
      const left = parseOurConfig(await readFile(home.ourConfig, 'utf8')).map((entry) => entry.deploymentId);
      assert.deepEqual(
        left.sort(),
        everyId.filter((id) => id !== a1.id),
      );
      for (const d of teamB) {
        assert.equal(first(sshG(home.userConfig, `spheron-${d.name ?? ''}`), 'hostname'), d.ipAddress);
      }
    } finally {
      await home.cleanup();
    }
  });
});
