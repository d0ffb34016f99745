// A throwaway OpenSSH server on 127.0.0.1 for tests: temp host key, temp client key in
// authorized_keys, no PAM, no system service. Reusable by extension-host tests.
// If sshd cannot start, startSshd throws with the reason (tests must not silently skip).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface SshdFixture {
  readonly port: number;
  /** The login user (the user running the tests). */
  readonly user: string;
  /** Private key accepted by the server. */
  readonly clientKey: string;
  /** The server's host public key, `ssh-ed25519 AAAA…`. */
  readonly hostPublicKey: string;
  readonly dir: string;
  readonly pid: number;
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface SshdOptions {
  readonly sshdPath?: string;
  readonly startTimeoutMs?: number;
  /** More public keys (OpenSSH lines) to accept, e.g. the key an extension under test uses. */
  readonly authorizedKeys?: readonly string[];
  /** PATH for sessions (sshd SetEnv), e.g. to put a fake `jupyter` first. */
  readonly sessionPath?: string;
  /**
   * HOME for commands and shells (sshd itself always sets the account's home), so what the
   * "instance" writes (Jupyter's runtime files, logs) stays out of the real home.
   */
  readonly sessionHome?: string;
}

export async function startSshd(options: SshdOptions = {}): Promise<SshdFixture> {
  const sshd = options.sshdPath ?? '/usr/sbin/sshd';
  if (!existsSync(sshd)) {
    throw new Error(`sshd is not installed at ${sshd}; install it with: apt-get install -y openssh-server`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'spheron-sshd-'));
  await chmod(dir, 0o700);
  try {
    for (const name of ['host_key', 'client_key']) {
      run('ssh-keygen', [
        '-q',
        '-t',
        'ed25519',
        '-N',
        '',
        '-C',
        `spheron-test-${name}`,
        '-f',
        join(dir, name),
      ]);
    }
    const clientPublic = await readFile(join(dir, 'client_key.pub'), 'utf8');
    const authorized = [clientPublic.trim(), ...(options.authorizedKeys ?? []).map((key) => key.trim())];
    await writeFile(join(dir, 'authorized_keys'), `${authorized.join('\n')}\n`, { mode: 0o600 });
    const hostPublicKey = (await readFile(join(dir, 'host_key.pub'), 'utf8'))
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    // sshd's privilege-separation directory; only root can (and needs to) create it.
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => undefined);

    let lastError = '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const config = join(dir, 'sshd_config');
      await writeFile(
        config,
        [
          'ListenAddress 127.0.0.1',
          `Port ${port}`,
          `HostKey ${join(dir, 'host_key')}`,
          'PidFile none',
          `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          'PermitRootLogin prohibit-password',
          'UsePAM no',
          'AllowTcpForwarding yes',
          'StrictModes no',
          'MaxStartups 100',
          ...(options.sessionPath ? [`SetEnv PATH=${options.sessionPath}`] : []),
          ...(options.sessionHome
            ? [
                `ForceCommand HOME='${options.sessionHome}'; export HOME; cd "$HOME"; ` +
                  'if [ -n "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"; else exec /bin/sh -l; fi',
              ]
            : []),
          'Subsystem sftp internal-sftp',
          'LogLevel VERBOSE',
          '',
        ].join('\n'),
      );
      run(sshd, ['-t', '-f', config]);
      const logFile = join(dir, `sshd-${attempt}.log`);
      const child = spawn(sshd, ['-D', '-f', config, '-E', logFile], { stdio: 'ignore' });
      const started = await waitForListening(child, port, options.startTimeoutMs ?? 10_000);
      if (started === 'up' && child.pid !== undefined) {
        return {
          port,
          user: userInfo().username,
          clientKey: join(dir, 'client_key'),
          hostPublicKey,
          dir,
          pid: child.pid,
          log: () => readFile(logFile, 'utf8').catch(() => ''),
          stop: async () => {
            await stopChild(child);
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      await stopChild(child);
      lastError = `${started}: ${await readFile(logFile, 'utf8').catch(() => '(no log)')}`;
      if (!/Address already in use/.test(lastError)) {
        break;
      }
    }
    throw new Error(`sshd did not start: ${lastError}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${result.error?.message ?? result.stderr}`);
  }
}

/** A port nobody listens on right now on 127.0.0.1 (the kernel picks it for a socket bound to 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForListening(child: ChildProcess, port: number, timeoutMs: number): Promise<string> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `sshd exited (${signal ?? `code ${String(code)}`})`));
  child.once('error', (error) => (exited = `sshd could not be spawned (${error.message})`));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) {
      return exited;
    }
    if (await canConnect(port)) {
      return 'up';
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return `sshd was not listening after ${timeoutMs} ms`;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/**
 * An ssh client config with one Host `alias` for the fixture (its port, user and client key, no
 * host-key checks), written into the fixture's folder; returns its path for `ssh -F`.
 */
export async function writeSshdClientConfig(sshd: SshdFixture, alias: string): Promise<string> {
  const path = join(sshd.dir, `client_config_${alias}`);
  await writeFile(
    path,
    [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${sshd.user}`,
      `  IdentityFile ${sshd.clientKey}`,
      '  IdentitiesOnly yes',
      '  StrictHostKeyChecking no',
      '  UserKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  return path;
}
