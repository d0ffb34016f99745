// The SSH terminal's wrapper, run as the terminal runs it (`node -e <wrapper> <spec>`) with the
// real ssh: it says what it connects to, and gives up with a reason and a next step.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSshFailure, mayStillBeBooting } from '../../../src/core/ssh/sshFailure';
import {
  SSH_TERMINAL_WRAPPER,
  sshTerminalLaunch,
  type SshTerminalTarget,
} from '../../../src/core/ssh/sshTerminal';
import { freePort, startSshd, writeSshdClientConfig, type SshdFixture } from './sshdFixture';

const NOW = Date.UTC(2026, 11, 6, 12, 0);
const MINUTE = 60_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(shellPath: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(shellPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function configFor(dir: string, port: number): Promise<string> {
  const path = join(dir, 'config');
  await writeFile(
    path,
    [
      'Host spheron-unreachable',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      '  BatchMode yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '',
    ].join('\n'),
  );
  return path;
}

function target(port: number, startedAtMs: number | null): SshTerminalTarget {
  return {
    name: 'pro6000-dev',
    address: '127.0.0.1',
    port,
    user: 'root',
    alias: 'spheron-unreachable',
    startedAtMs,
    createdAtMs: startedAtMs,
  };
}

describe('ssh/sshTerminal (the real ssh under the wrapper)', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spheron-ssh-terminal-'));
    await writeFile(join(dir, 'ssh-terminal.js'), SSH_TERMINAL_WRAPPER);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says what it connects to, and why it gave up on a closed port, with the next step', async () => {
    const port = await freePort();
    const launch = sshTerminalLaunch({
      nodePath: process.execPath,
      wrapperPath: join(dir, 'ssh-terminal.js'),
      sshPath: 'ssh',
      configPath: await configFor(dir, port),
      connectTimeoutSeconds: 5,
      target: target(port, NOW - 3 * 60 * MINUTE),
      nowMs: NOW,
    });
    const result = await run(launch.shellPath, launch.shellArgs, launch.env);
    assert.equal(result.code, 255);
    assert.ok(
      result.stdout.startsWith(
        `Connecting to pro6000-dev (127.0.0.1:${port}) as root… (gives up after 5 s)\r\n`,
      ),
      result.stdout,
    );
    assert.match(
      result.stdout,
      new RegExp(
        `Could not connect to pro6000-dev \\(127\\.0\\.0\\.1:${port}\\) as root: nothing accepts SSH connections on that port \\(yet\\) \\(connect to host 127\\.0\\.0\\.1 port ${port}: Connection refused\\)\\.`,
      ),
    );
    assert.match(
      result.stdout,
      /Next: run "Spheron: Open SSH Terminal" again, or "Spheron: Check SSH Setup"/,
    );
    // An instance up for 3 hours is not booting.
    assert.doesNotMatch(result.stdout, /may still be booting/);
    // ssh's own words still reach the terminal.
    assert.match(result.stderr, /Connection refused/);
  });

  it('gives up after ConnectTimeout on a host that never answers, and says a young instance may be booting', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    assert.ok(address && typeof address === 'object');
    try {
      const launch = sshTerminalLaunch({
        nodePath: process.execPath,
        wrapperPath: join(dir, 'ssh-terminal.js'),
        sshPath: 'ssh',
        configPath: await configFor(dir, address.port),
        connectTimeoutSeconds: 1,
        target: target(address.port, NOW - 2 * MINUTE),
        nowMs: NOW,
      });
      const result = await run(launch.shellPath, launch.shellArgs, launch.env);
      assert.equal(result.code, 255);
      assert.match(result.stdout, /gives up after 1 s/);
      // OpenSSH 9 says `Connection to 127.0.0.1 port N timed out`; older ones `… during banner exchange`.
      assert.match(
        result.stdout,
        /as root: the host (did not answer in time|accepted the connection but its SSH server did not answer) \(/,
      );
      assert.match(
        result.stdout,
        /It started 2 min ago and may still be booting: try again in a minute or two\./,
      );
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  describe('with a host that answers', () => {
    let sshd: SshdFixture;
    before(async () => {
      sshd = await startSshd();
    });
    after(async () => {
      await sshd.stop();
    });

    it('passes the session and its exit status through, and adds nothing', async () => {
      const launch = sshTerminalLaunch({
        nodePath: process.execPath,
        wrapperPath: join(dir, 'ssh-terminal.js'),
        sshPath: 'ssh',
        configPath: await writeSshdClientConfig(sshd, 'spheron-answers'),
        connectTimeoutSeconds: 10,
        target: { ...target(sshd.port, NOW - 2 * MINUTE), alias: 'spheron-answers' },
        nowMs: NOW,
      });
      // The terminal runs a login shell; a command stands in for it here.
      const spec = { ...launch.spec, args: [...launch.spec.args, 'echo hello-from-instance; exit 3'] };
      const args = [...launch.shellArgs.slice(0, -1), JSON.stringify(spec)];
      const result = await run(launch.shellPath, args, launch.env);
      assert.equal(result.code, 3);
      assert.match(result.stdout, /hello-from-instance/);
      assert.doesNotMatch(result.stdout, /Could not connect/);
    });
  });

  describe('the reasons, shared with Open Jupyter and Check SSH Setup', () => {
    const cases: [string, RegExp][] = [
      [
        'ssh: connect to host 203.0.113.11 port 22: Connection timed out',
        /^the host did not answer in time \(/,
      ],
      ['ssh: connect to host 10.0.0.1 port 22: No route to host', /^the address cannot be reached from here/],
      ['debug1: x\nroot@1.2.3.4: Permission denied (publickey).\n', /^the host refused your SSH key/],
      ['Host key verification failed.', /^the host key does not match/],
      ['something new', /^something new$/],
      ['', /^ssh gave up without saying why$/],
    ];
    for (const [stderr, expected] of cases) {
      it(`${JSON.stringify(stderr)} → ${String(expected)}`, () => {
        assert.match(describeSshFailure(stderr), expected);
      });
    }

    it('an instance is young for 10 minutes from its start (or creation, while deploying)', () => {
      assert.equal(mayStillBeBooting({ startedAtMs: NOW - 9 * MINUTE, createdAtMs: null }, NOW), true);
      assert.equal(mayStillBeBooting({ startedAtMs: NOW - 10 * MINUTE, createdAtMs: null }, NOW), false);
      assert.equal(mayStillBeBooting({ startedAtMs: null, createdAtMs: NOW - MINUTE }, NOW), true);
      assert.equal(mayStillBeBooting({ startedAtMs: null, createdAtMs: null }, NOW), false);
    });
  });
});
