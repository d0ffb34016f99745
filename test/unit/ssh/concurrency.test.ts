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
    const again = await syncSshConfig(finalState, { homeDir: t.home, userConfigPath: t.userConfig });
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
});
