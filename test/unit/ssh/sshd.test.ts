// End to end against a real sshd on 127.0.0.1: our config gets ssh in (host key stored under the
// HostKeyAlias in our known_hosts), and a managed tunnel carries HTTP.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { checkSshSetup } from '../../../src/core/ssh/check';
import type { SshHost } from '../../../src/core/ssh/hostBlocks';
import {
  jupyterListCommand,
  parseJupyterServers,
  parsePortProbe,
  portProbeCommand,
} from '../../../src/core/ssh/remoteCommands';
import { syncSshConfig, type SshSyncSettings } from '../../../src/core/ssh/sync';
import {
  TunnelManager,
  canConnectLocal,
  type TunnelInfo,
  type TunnelState,
} from '../../../src/core/ssh/tunnel';
import { includeBlockText } from '../../../src/core/ssh/userConfig';
import { startSshd, type SshdFixture } from './sshdFixture';
import { makeTempHome, runningDeployment, type TempHome } from './helpers/tempHome';

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ssh against a real sshd', function () {
  this.timeout(60_000);
  // Real ssh and sshd share the machine's loopback ports with everything else running; a port taken
  // between our free-port check and ssh's bind failed this suite once under heavy load. One retry:
  // failing twice is a real failure.
  this.retries(1);
  let sshd: SshdFixture;
  let t: TempHome;
  let web: Server;
  let webPort: number;
  let host: SshHost;
  let settings: SshSyncSettings;
  const deployment = runningDeployment({ name: 'Local GPU', ipAddress: '127.0.0.1' });

  before(async () => {
    sshd = await startSshd();
    t = await makeTempHome('spheron-e2e-');
    web = createServer((req, res) => res.end(`tunnel-ok ${req.url ?? ''}`));
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const address = web.address();
    webPort = typeof address === 'object' && address ? address.port : 0;
    // The user's own settings after our block, to show ours win (HashKnownHosts) and theirs stay.
    await writeFile(t.userConfig, 'Host *\n  HashKnownHosts yes\n  ConnectTimeout 7\n').catch(async () => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(t.sshDir, { mode: 0o700 });
      await writeFile(t.userConfig, 'Host *\n  HashKnownHosts yes\n  ConnectTimeout 7\n');
    });
    settings = {
      homeDir: t.home,
      userConfigPath: t.userConfig,
      identityFile: sshd.clientKey,
      portForwards: [
        { label: 'Web', remotePort: webPort },
        { label: 'Unused', remotePort: 47999 },
      ],
    };
    const result = await syncSshConfig([{ ...deployment, sshPort: sshd.port, sshUser: sshd.user }], settings);
    const first = result.hosts[0];
    assert.ok(first);
    host = first;
  });

  after(async () => {
    await new Promise((resolve) => web.close(resolve));
    await sshd.stop();
    await t.cleanup();
  });

  it('connects through our config; accept-new stores the key under the HostKeyAlias', async () => {
    assert.equal(host.alias, 'spheron-local-gpu');
    const ssh = spawnSync(
      'ssh',
      ['-F', t.userConfig, '-o', 'BatchMode=yes', host.alias, 'echo hello-$(whoami)'],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(ssh.status, 0, `${ssh.stderr}\n${await sshd.log()}`);
    assert.equal(ssh.stdout.trim(), `hello-${sshd.user}`);
    const known = await readFile(t.knownHosts, 'utf8');
    // HostKeyAlias replaces host and port: the entry is keyed by the instance id alone.
    assert.equal(known.trim(), `${host.hostKeyAlias} ${sshd.hostPublicKey}`);

    // second connection uses the stored key
    const again = spawnSync('ssh', ['-F', t.userConfig, '-o', 'BatchMode=yes', host.alias, 'true'], {
      timeout: 20_000,
    });
    assert.equal(again.status, 0);
    assert.equal((await readFile(t.knownHosts, 'utf8')).trim().split('\n').length, 1);
  });

  it('refuses a different host key for the same instance (pinned per instance id, not per IP)', async () => {
    const good = await readFile(t.knownHosts, 'utf8');
    const otherKeyFile = join(t.home, 'other_host_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKeyFile]);
    const other = (await readFile(`${otherKeyFile}.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    await writeFile(t.knownHosts, `${host.hostKeyAlias} ${other}\n`);
    try {
      const ssh = spawnSync('ssh', ['-F', t.userConfig, '-o', 'BatchMode=yes', host.alias, 'true'], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.notEqual(ssh.status, 0);
      assert.match(ssh.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    } finally {
      await writeFile(t.knownHosts, good);
    }
  });

  it('runs the remote probe and Jupyter listing commands over ssh', () => {
    const probe = spawnSync(
      'ssh',
      ['-F', t.userConfig, '-o', 'BatchMode=yes', host.alias, portProbeCommand(webPort)],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(parsePortProbe(probe.stdout), true);
    const list = spawnSync(
      'ssh',
      ['-F', t.userConfig, '-o', 'BatchMode=yes', host.alias, jupyterListCommand()],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(parseJupyterServers(list.stdout), []);
  });

  it('Check SSH Setup finds nothing wrong', async () => {
    const report = await checkSshSetup(host.alias, {
      userConfigPath: t.userConfig,
      ourConfigPath: t.ourConfig,
      homeDir: t.home,
    });
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
  });

  it('a managed tunnel carries HTTP, survives its ssh being killed, and stopping it closes the port', async () => {
    const states: TunnelState[] = [];
    const manager = new TunnelManager({
      userConfigPath: t.userConfig,
      initialBackoffMs: 100,
    });
    manager.onDidChange((info) => states.push(info.state));
    const waitState = (id: string, state: TunnelState) =>
      waitFor<TunnelInfo>(`tunnel ${state}`, () => {
        const info = manager.get(id);
        return info?.state === state ? info : undefined;
      });
    try {
      // The web server holds webPort locally (the "instance" is this machine), so another port is picked.
      const started = await manager.start({
        deploymentId: host.deploymentId,
        alias: host.tunnelAlias,
        label: 'Web',
        remotePort: webPort,
      });
      assert.notEqual(started.localPort, webPort);
      const ready = await waitState(started.id, 'ready');
      assert.equal(await httpGet(ready.localPort, '/first'), 'tunnel-ok /first');
      // The tunnel alias does not bind the block's LocalForward ports.
      const unusedLocal = host.forwards.find((forward) => forward.remotePort === 47999)?.localPort;
      assert.ok(unusedLocal);
      assert.equal(await canConnectLocal(unusedLocal), false);

      // ssh dies unexpectedly: dropped → restarting → ready again
      assert.ok(ready.pid);
      process.kill(ready.pid, 'SIGKILL');
      await waitFor('a new ssh process', () => {
        const info = manager.get(started.id);
        return info?.state === 'ready' && info.pid !== ready.pid ? info : undefined;
      });
      assert.deepEqual(states.slice(0, 2), ['starting', 'ready']);
      assert.ok(states.includes('dropped') && states.includes('restarting'), states.join(','));
      const again = manager.get(started.id);
      assert.ok(again);
      assert.equal(await httpGet(again.localPort, '/second'), 'tunnel-ok /second');

      await manager.stop(started.id);
      assert.equal(await canConnectLocal(again.localPort), false);
      assert.equal(again.pid !== undefined && pidAlive(again.pid), false);
      assert.equal(states.at(-1), 'stopped');
    } finally {
      await manager.dispose();
    }
  });

  it('never treats a port another program bound first as the tunnel: no token is sent there', async () => {
    // Another local program owns the port; our free-port check ran before it bound (a race).
    const squatter = createNetServer();
    let squatterBytes = '';
    let squatterConnections = 0;
    squatter.on('connection', (socket) => {
      squatterConnections++;
      socket.setEncoding('utf8').on('data', (chunk: string) => (squatterBytes += chunk));
    });
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const address = squatter.address();
    const squatted = typeof address === 'object' && address ? address.port : 0;
    const manager = new TunnelManager({
      userConfigPath: t.userConfig,
      isPortFree: () => Promise.resolve(true),
      initialBackoffMs: 50,
      maxRestarts: 1,
    });
    const states: TunnelState[] = [];
    try {
      const settled = new Promise<TunnelInfo>((resolve) =>
        manager.onDidChange((info) => {
          states.push(info.state);
          if (info.state === 'ready') {
            // What Open Jupyter does with a ready tunnel: ask for the page with the token.
            void httpGet(info.localPort, '/lab?token=secret-token').catch(() => undefined);
            resolve(info);
          }
          if (info.state === 'failed') {
            resolve(info);
          }
        }),
      );
      await manager.start({
        deploymentId: host.deploymentId,
        alias: host.tunnelAlias,
        label: 'Jupyter',
        remotePort: webPort,
        preferredLocalPort: squatted,
      });
      const final = await settled;
      assert.equal(final.state, 'failed', states.join(','));
      assert.equal(final.localPort, squatted);
      assert.ok(!states.includes('ready'), states.join(','));
      assert.match(final.lastError ?? '', /local forwarding|Address already in use|cannot listen/i);
      assert.equal(squatterConnections, 0);
      assert.equal(squatterBytes, '');
    } finally {
      await manager.dispose();
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('dispose leaves no ssh process behind', async () => {
    const manager = new TunnelManager({ userConfigPath: t.userConfig });
    const started = await manager.start({
      deploymentId: host.deploymentId,
      alias: host.tunnelAlias,
      label: 'Web',
      remotePort: webPort,
    });
    const ready = await waitFor('ready', () => {
      const info = manager.get(started.id);
      return info?.state === 'ready' ? info : undefined;
    });
    assert.ok(ready.pid);
    await manager.dispose();
    assert.equal(pidAlive(ready.pid), false);
    assert.equal(await canConnectLocal(ready.localPort), false);
  });

  it('removes the block and the known_hosts entry once the instance is terminated', async () => {
    const result = await syncSshConfig([{ ...deployment, status: 'terminated' }], settings);
    assert.deepEqual(result.hosts, []);
    assert.ok(result.filesWritten.includes(t.knownHosts));
    assert.equal(await readFile(t.knownHosts, 'utf8'), '');
    assert.equal((await readFile(t.userConfig, 'utf8')).startsWith(includeBlockText(t.ourConfig)), true);
  });
});
