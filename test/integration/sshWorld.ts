// A "running instance" that really accepts SSH, for the extension-host SSH tests: a real sshd on
// 127.0.0.1 (test/unit/ssh/sshdFixture.ts), started from inside the extension host, with the key the
// extension uses ($HOME/.ssh/id_ed25519 of the extension host, a temp home in this tier) authorised,
// a fake JupyterLab on the "instance" side, and the simulator pointing every deployment at the sshd.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Deployment } from '../../src/core/domain/types';
import type { ModelNode } from '../../src/core/model/nodes';
import type { SshHost } from '../../src/core/ssh/hostBlocks';
import type { Services } from '../../src/vscode/services';
import { startFakeJupyter, type FakeJupyter } from '../support/fakeJupyter';
import { startSshd, type SshdFixture } from '../unit/ssh/sshdFixture';
import { SEED_IDS } from '../simulator/seed';
import { simulatorAdmin, spheronApi, waitFor } from './helpers';

/** The simulator's seeded running deployment (`pro6000-dev`). */
export const SEED_RUNNING_ID = SEED_IDS.runningDeployment;

export interface SshWorld {
  readonly services: Services;
  readonly sshd: SshdFixture;
  readonly jupyter: FakeJupyter;
  /** The extension host's HOME (a temp folder of this run). */
  readonly home: string;
  /** `$HOME/.ssh/config`: the file ssh and Remote-SSH read. */
  readonly userConfig: string;
  /** `$HOME/.ssh/spheron/config`: the file the extension owns. */
  readonly ourConfig: string;
  readonly identityFile: string;
}

/** `$HOME/.ssh/id_ed25519`, created once per run (the extension's default identity file). */
async function ensureClientKey(home: string): Promise<string> {
  const sshDir = join(home, '.ssh');
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  const key = join(sshDir, 'id_ed25519');
  if (!existsSync(key)) {
    const made = await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      'spheron-ext-host',
      '-f',
      key,
    ]);
    if (made.status !== 0) {
      throw new Error(`ssh-keygen failed: ${made.stderr}`);
    }
  }
  return key;
}

/** Waits until no SSH config sync runs: syncs are queued, so one more on the same list is the last. */
async function drainSyncs(services: Services): Promise<void> {
  const listed = services.data.deployments.state.value;
  if (listed) {
    await services.ssh.sync(listed);
  }
}

async function forgetHostKey(knownHosts: string, hostKeyAlias: string): Promise<void> {
  const text = await readFile(knownHosts, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const kept = text.split('\n').filter((line) => !line.startsWith(`${hostKeyAlias} `));
    await writeFile(knownHosts, kept.join('\n'));
  }
}

/**
 * Registers before/after hooks on the current describe block that start the world, and returns a
 * getter for it. The simulator is reset and pointed back at nothing afterwards; the settings the
 * tests change are restored. `instanceHome` is HOME for the "instance's" SSH sessions, so what runs
 * there (Jupyter's runtime files and logs) stays out of the real home. `fakeJupyterOnPath: false`
 * leaves the fake `jupyter` off the sessions' PATH, for tests of the real one.
 */
export function useSshWorld(
  options: {
    readonly instanceHome?: () => string;
    readonly fakeJupyterOnPath?: boolean;
    readonly sessionBinDirs?: () => readonly string[];
  } = {},
): () => SshWorld {
  let world: SshWorld | undefined;
  let previousForwardPorts: unknown;

  before(async function () {
    this.timeout(60_000);
    const home = homedir();
    // Never write into a real home: this tier runs with HOME in the run's temp folder.
    if (!/spheron-e2e-/.test(home)) {
      throw new Error(`the extension host's HOME (${home}) is not a temp folder of the e2e run`);
    }
    const identityFile = await ensureClientKey(home);
    const { services } = await spheronApi();
    // Each world's sshd has a new host key, but the seeded instance keeps its id (and so its
    // HostKeyAlias): forget the key an earlier world pinned, as for a reinstalled instance. Not
    // while a sync is pruning the same file: an earlier world's last refresh may still be syncing.
    await drainSyncs(services);
    await forgetHostKey(join(home, '.ssh', 'spheron', 'known_hosts'), `spheron-${SEED_RUNNING_ID}`);
    const publicKey = await readFile(`${identityFile}.pub`, 'utf8');
    const jupyter = await startFakeJupyter();
    const instanceHome = options.instanceHome?.();
    const sshd = await startSshd({
      authorizedKeys: [publicKey],
      sessionPath: [
        ...(options.sessionBinDirs?.() ?? []),
        ...(options.fakeJupyterOnPath === false ? [] : [jupyter.binDir]),
        '/usr/local/bin',
        '/usr/bin',
        '/bin',
      ].join(':'),
      ...(instanceHome ? { sessionHome: instanceHome } : {}),
    });
    const spheron = vscode.workspace.getConfiguration('spheron');
    previousForwardPorts = spheron.inspect('forwardPorts')?.globalValue;
    await spheron.update(
      'forwardPorts',
      [
        { label: 'Jupyter', remotePort: jupyter.port },
        { label: 'TensorBoard', remotePort: 6006 },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await simulatorAdmin('reset', {});
    await simulatorAdmin('config', { sshHost: '127.0.0.1', sshPort: sshd.port, sshUser: sshd.user });
    world = {
      services,
      sshd,
      jupyter,
      home,
      userConfig: join(home, '.ssh', 'config'),
      ourConfig: join(home, '.ssh', 'spheron', 'config'),
      identityFile,
    };
  });

  after(async function () {
    this.timeout(60_000);
    if (!world) {
      return;
    }
    const { services, sshd, jupyter } = world;
    const tunnels = services.ssh.tunnels();
    await Promise.all(tunnels.list().map((tunnel) => tunnels.stop(tunnel.id)));
    await simulatorAdmin('config', { sshHost: null, sshPort: null, sshUser: null });
    await simulatorAdmin('reset', {});
    await vscode.workspace
      .getConfiguration('spheron')
      .update('forwardPorts', previousForwardPorts, vscode.ConfigurationTarget.Global);
    await services.explorer.refresh('instances');
    await drainSyncs(services);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sshd.stop();
    await jupyter.stop();
    world = undefined;
  });

  return () => {
    if (!world) {
      throw new Error('the SSH world is not started (before hook failed?)');
    }
    return world;
  };
}

/** The deployment as the extension last listed it. */
export function listedDeployment(services: Services, id: string): Deployment | undefined {
  return services.data.deployments.state.value?.find((deployment) => deployment.id === id);
}

/**
 * Refreshes the Instances data and waits until the extension's sync has written a host for the
 * deployment that points at the sshd, returning it.
 */
export async function syncedHost(world: SshWorld, deploymentId: string): Promise<SshHost> {
  await world.services.explorer.refresh('instances');
  return waitFor(
    async () => {
      const host = world.services.ssh.hostFor(deploymentId);
      if (host?.port !== world.sshd.port) {
        return undefined;
      }
      const ours = await readFile(world.ourConfig, 'utf8');
      return ours.includes(`# spheron-id: ${deploymentId}`) && ours.includes(`Port ${world.sshd.port}`)
        ? host
        : undefined;
    },
    { timeoutMs: 20_000, message: `the SSH config entry of ${deploymentId}` },
  );
}

export interface SshRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program without blocking the extension host (a spawnSync would freeze the extension under
 * test, its timers and tunnels included, for as long as ssh takes).
 */
export function run(program: string, args: readonly string[], timeoutMs = 30_000): Promise<SshRun> {
  return new Promise((resolve) => {
    execFile(program, [...args], { encoding: 'utf8', timeout: timeoutMs }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, stdout, stderr: stderr || (error && status === null ? error.message : '') });
    });
  });
}

/** Runs the real ssh client against the user's config, in batch mode (no prompts). */
export function sshThroughConfig(world: SshWorld, args: readonly string[]): Promise<SshRun> {
  return run('ssh', ['-F', world.userConfig, '-o', 'BatchMode=yes', ...args]);
}

/** `ssh -G` for an alias through the user's config: keyword (lowercase) → values. */
export async function sshG(world: SshWorld, alias: string): Promise<Map<string, string[]>> {
  const result = await run('ssh', ['-G', '-F', world.userConfig, '--', alias]);
  if (result.status !== 0) {
    throw new Error(`ssh -G ${alias} failed: ${result.stderr}`);
  }
  const options = new Map<string, string[]>();
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) {
      const keyword = line.slice(0, space).toLowerCase();
      options.set(keyword, [...(options.get(keyword) ?? []), line.slice(space + 1)]);
    }
  }
  return options;
}

/** Whether something accepts TCP connections on 127.0.0.1:<port> right now. */
export function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The instance row of the Instances view (as the tree provider hands it to VS Code) and its children. */
export function instanceRow(
  services: Services,
  deploymentId: string,
): { row: ModelNode; children: ModelNode[] } | undefined {
  const tree = services.explorer.instancesTree;
  const row = tree
    .getChildren()
    .find((node) => node.kind === 'instance' && node.deployment.id === deploymentId);
  return row ? { row, children: tree.getChildren(row) } : undefined;
}

/**
 * Runs a command that may wait on a non-modal notification with buttons. The extension-host tier's
 * workbench (smoke-test driver) never shows toasts, so such a notification would keep the command
 * waiting: close them until the command returns, as a user dismissing the toast would.
 */
export async function runDismissingNotifications<T>(command: string, ...args: unknown[]): Promise<T> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => {
    settled = true;
  });
  await waitFor(
    async () => {
      if (!settled) {
        await vscode.commands.executeCommand('notifications.clearAll');
      }
      return settled;
    },
    { timeoutMs: 60_000, intervalMs: 250, message: `${command} to finish` },
  ).catch(() => undefined);
  return running;
}
