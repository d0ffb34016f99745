import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
// tsx itself, not `npx tsx`: npm does not pass SIGTERM on to the command it runs, so the simulator would
// be orphaned and the exit code would be npm's.
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startCli(args: string[]): Promise<Started> {
  const child = spawn(TSX, ['test/simulator/cli.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /Spheron simulator listening on (http:\/\/127\.0\.0\.1:\d+)\nAPI key: \S+\n/.exec(output);
      if (match) {
        resolve({ child, url: match[1], output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`cli exited (${code}) before listening:\n${output}`)));
  });
}

describe('simulator: cli', function () {
  this.timeout(60_000);
  const started: ChildProcess[] = [];

  afterEach(() => {
    for (const child of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(-child.pid, 'SIGKILL');
      }
    }
  });

  it('starts, prints the URL and the demo key, serves, and exits 0 on SIGTERM', async () => {
    const cli = await startCli(['--port', '0', '--big', '--deploy-delay', '5', '--min-runtime', '1']);
    started.push(cli.child);
    assert.match(cli.output(), /API key: sim-demo-key/);
    const offers = await fetch(`${cli.url}/api/gpu-offers?limit=1`);
    assert.equal(((await offers.json()) as { total: number }).total, 300);
    const health = await fetch(`${cli.url}/__sim/health`);
    assert.equal(health.status, 200);
    cli.child.kill('SIGTERM');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
    await assert.rejects(fetch(`${cli.url}/__sim/health`));
  });

  it('takes the key and SSH overrides, and exits 0 on SIGINT', async () => {
    const cli = await startCli([
      '--port',
      '0',
      '--key',
      'k-123',
      '--ssh-host',
      '127.0.0.1',
      '--ssh-port',
      '2222',
      '--ssh-user',
      'me',
    ]);
    started.push(cli.child);
    assert.match(cli.output(), /API key: k-123/);
    const res = await fetch(`${cli.url}/api/deployments`, {
      headers: { Authorization: 'Bearer k-123', 'User-Agent': 'cli-test' },
    });
    const list = (await res.json()) as { ipAddress: string; sshPort: number; user: string }[];
    assert.deepEqual([list[0].ipAddress, list[0].sshPort, list[0].user], ['127.0.0.1', 2222, 'me']);
    cli.child.kill('SIGINT');
    assert.deepEqual(await cli.exited, { code: 0, signal: null });
  });

  it('refuses unknown flags with exit code 2', async () => {
    const child = spawn(TSX, ['test/simulator/cli.ts', '--bogus'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /usage: npm run simulator/);
  });
});
