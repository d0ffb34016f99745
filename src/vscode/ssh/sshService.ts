import { existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Deployment } from '../../core/domain/types';
import type { Logger } from '../../core/util/logger';
import { instanceLabel } from '../../core/model/instances';
import type { TunnelPhase, TunnelRowState } from '../../core/model/nodes';
import type { Settings } from '../../core/settings/settings';
import { execProgram, type ExecResult } from '../../core/ssh/exec';
import type { SshHost } from '../../core/ssh/hostBlocks';
import { defaultUserConfigPath, expandHome } from '../../core/ssh/paths';
import { SshCommandError } from '../../core/ssh/sshFailure';
import { parseSshVersion, type OpenSshVersion } from '../../core/ssh/sshVersion';
import {
  removeSshEntries,
  resolveSshPaths,
  sshEntriesPresent,
  SshSyncCache,
  syncSshConfig,
  type RemoveSshEntriesResult,
  type SshSyncResult,
} from '../../core/ssh/sync';
import { TunnelManager, type TunnelInfo, type TunnelState } from '../../core/ssh/tunnel';

export interface SshServiceDeps {
  readonly logger: Logger;
  readonly settings: () => Settings;
  /** Defaults to the OS home; tests point it at a temporary folder. */
  readonly homeDir?: string;
  /** The team the instance list belongs to (its section of our SSH file). */
  readonly teamId?: () => string | undefined;
}

/** What a list to sync says about itself: whose it is and when it was fetched. */
export interface SyncListInfo {
  readonly teamId?: string | undefined;
  readonly fetchedAtMs?: number | undefined;
}

/** A `remote.SSH` setting from the user's settings only: a workspace must not redirect ssh. */
function userLevelSetting(key: 'path' | 'configFile'): string | undefined {
  const value = vscode.workspace.getConfiguration('remote.SSH').inspect<string>(key)?.globalValue;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Where ssh expands `~`: the account's home in the password database, not $HOME. */
function sshTildeHome(): string | undefined {
  try {
    return userInfo().homedir;
  } catch {
    return undefined;
  }
}

const TUNNEL_PHASE: Record<TunnelState, TunnelPhase> = {
  starting: 'starting',
  restarting: 'starting',
  dropped: 'starting',
  ready: 'open',
  failed: 'error',
  stopped: 'stopped',
};

/**
 * The SSH side of the extension: keeps `~/.ssh/spheron/config` in step with running instances,
 * runs commands on instances and owns the managed `ssh -L` tunnels.
 */
export class SshService implements vscode.Disposable {
  private tunnelManager: TunnelManager | undefined;
  private tunnelConfigPath: string | undefined;
  private hosts = new Map<string, SshHost>();
  private syncQueue: Promise<unknown> = Promise.resolve();
  private readonly warnedSkipped = new Set<string>();
  private readonly warnedConflicts = new Set<string>();
  private readonly syncCache = new SshSyncCache();
  private unmanagedPromptSuppressed = false;
  /** Alias clashes with the user's own hosts, from the last sync (Check SSH Setup reports them). */
  private lastConflicts: SshSyncResult['aliasConflicts'] = [];
  private sshVersion: Promise<OpenSshVersion | undefined> | undefined;
  private readonly tunnelsChanged = new vscode.EventEmitter<void>();
  private disposed = false;
  readonly onDidChangeTunnels = this.tunnelsChanged.event;
  readonly homeDir: string;

  constructor(private readonly deps: SshServiceDeps) {
    this.homeDir = deps.homeDir ?? homedir();
  }

  /** The file Remote-SSH reads: `remote.SSH.configFile` (user settings), else `~/.ssh/config`. */
  userConfigPath(): string {
    const configured = userLevelSetting('configFile');
    return configured ? expandHome(configured, this.homeDir) : defaultUserConfigPath(this.homeDir);
  }

  /** `remote.SSH.path` from the user's settings only, else `ssh`. */
  sshPath(): string {
    return userLevelSetting('path') ?? 'ssh';
  }

  /** Where ssh expands `~`, when it is our home too (tests use another home: absolute paths then). */
  private tildeHome(): string | undefined {
    const home = sshTildeHome();
    return home !== undefined && home === this.homeDir ? home : undefined;
  }

  aliasConflicts(): SshSyncResult['aliasConflicts'] {
    return this.lastConflicts;
  }

  paths() {
    return resolveSshPaths({
      homeDir: this.homeDir,
      userConfigPath: this.userConfigPath(),
      ...(this.deps.settings().sshOurConfigPath
        ? { ourConfigPath: this.deps.settings().sshOurConfigPath }
        : {}),
    });
  }

  /** The private key the host blocks name: the setting, else the first usual key that exists. */
  identityFile(): string | undefined {
    const configured = this.deps.settings().sshIdentityFile;
    if (configured) {
      return expandHome(configured, this.homeDir);
    }
    return ['id_ed25519', 'id_ecdsa', 'id_rsa']
      .map((name) => join(this.homeDir, '.ssh', name))
      .find((candidate) => existsSync(candidate));
  }

  hostFor(deploymentId: string): SshHost | undefined {
    return this.hosts.get(deploymentId);
  }

  private opensshVersion(): Promise<OpenSshVersion | undefined> {
    this.sshVersion ??= execProgram(this.sshPath(), ['-V'], { timeoutMs: 5_000 })
      .then((result) => parseSshVersion(`${result.stderr}\n${result.stdout}`))
      .catch(() => undefined);
    return this.sshVersion;
  }

  /**
   * Regenerates our SSH config from a complete list of the team's deployments. Calls are queued,
   * so two refreshes in this window never race; other windows are kept out by the file lock.
   */
  sync(deployments: readonly Deployment[], list: SyncListInfo = {}): Promise<SshSyncResult | undefined> {
    const teamId = list.teamId ?? this.deps.teamId?.();
    const run = this.syncQueue.then(() => this.syncNow(deployments, { ...list, teamId }));
    this.syncQueue = run.catch(() => undefined);
    return run;
  }

  private async syncNow(
    deployments: readonly Deployment[],
    list: SyncListInfo,
  ): Promise<SshSyncResult | undefined> {
    const settings = this.deps.settings();
    if (!settings.sshManageConfig) {
      return undefined;
    }
    const identityFile = this.identityFile();
    const opensshVersion = await this.opensshVersion();
    const tildeHome = this.tildeHome();
    const result = await syncSshConfig(
      deployments,
      {
        homeDir: this.homeDir,
        userConfigPath: this.userConfigPath(),
        ...(settings.sshOurConfigPath ? { ourConfigPath: settings.sshOurConfigPath } : {}),
        ...(identityFile ? { identityFile } : {}),
        portForwards: settings.forwardPorts,
        ...(opensshVersion ? { opensshVersion } : {}),
        ...(list.teamId ? { teamId: list.teamId } : {}),
        ...(list.fetchedAtMs !== undefined ? { listFetchedAtMs: list.fetchedAtMs } : {}),
        ...(tildeHome ? { tildeHome } : {}),
      },
      { cache: this.syncCache },
    );
    this.hosts = new Map(result.hosts.map((host) => [host.deploymentId, host]));
    for (const host of result.hosts) {
      this.tunnelManager?.retarget(host.deploymentId, host.tunnelAlias);
    }
    this.lastConflicts = result.aliasConflicts;
    for (const conflict of result.aliasConflicts) {
      if (!this.warnedConflicts.has(conflict.deploymentId)) {
        this.warnedConflicts.add(conflict.deploymentId);
        this.deps.logger.warn(
          `SSH alias ${conflict.wanted} is a host of your own SSH config (line ${conflict.userLine.number}); ` +
            `the instance ${conflict.deploymentId} is ${conflict.alias} instead.`,
        );
      }
    }
    if (result.written) {
      this.deps.logger.info(
        `SSH config synced: ${result.hosts.length} host(s), wrote ${result.filesWritten.join(', ')}` +
          (result.includeAction === 'none' ? '' : ` (Include ${result.includeAction})`),
      );
    }
    for (const removed of result.removed) {
      await this.tunnels().stopAllFor(removed.deploymentId);
    }
    for (const skipped of result.skipped) {
      if (!this.warnedSkipped.has(skipped.deploymentId)) {
        this.warnedSkipped.add(skipped.deploymentId);
        // The name is the API's, as untrusted as the values that were refused: one line only.
        const name = instanceLabel({ id: skipped.deploymentId, name: skipped.name });
        this.deps.logger.warn(`No SSH entry for ${name} (${skipped.deploymentId}): ${skipped.reason}`);
        void vscode.window
          .showWarningMessage(
            `Spheron: no SSH entry was written for “${name}”: ${skipped.reason}`,
            'Show Logs',
          )
          .then((choice) => choice && vscode.commands.executeCommand('spheron.showLogs'));
      }
    }
    return result;
  }

  /**
   * Remove SSH Entries turns `spheron.ssh.manageConfig` off itself: the settings listener must not
   * ask about removing what that command removes anyway.
   */
  suppressUnmanagedPrompt(): void {
    this.unmanagedPromptSuppressed = true;
  }

  /** True once after suppressUnmanagedPrompt(). */
  takeUnmanagedPromptSuppression(): boolean {
    const suppressed = this.unmanagedPromptSuppressed;
    this.unmanagedPromptSuppressed = false;
    return suppressed;
  }

  /** Whether our file, our known_hosts or our Include block is on disk. */
  hasEntries(): Promise<boolean> {
    return sshEntriesPresent({ homeDir: this.homeDir, ...this.paths() });
  }

  /**
   * Removes the Include block from the user's config (every other byte as it was), our file and our
   * known_hosts, and stops the tunnels that used them.
   */
  removeEntries(): Promise<RemoveSshEntriesResult> {
    const run = this.syncQueue.then(async () => {
      await this.tunnelManager?.dispose();
      this.tunnelManager = undefined;
      const paths = this.paths();
      const tildeHome = this.tildeHome();
      const result = await removeSshEntries(
        { homeDir: this.homeDir, ...paths, ...(tildeHome ? { tildeHome } : {}) },
        { cache: this.syncCache },
      );
      this.hosts.clear();
      this.lastConflicts = [];
      this.tunnelsChanged.fire();
      this.deps.logger.info(
        `Removed the Spheron SSH entries: ${result.includeRemoved ? `Include block from ${paths.userConfigPath}; ` : ''}` +
          (result.filesRemoved.length > 0
            ? `deleted ${result.filesRemoved.join(', ')}`
            : 'no files to delete'),
      );
      return result;
    });
    this.syncQueue = run.catch(() => undefined);
    return run;
  }

  tunnels(): TunnelManager {
    const configPath = this.userConfigPath();
    if (!this.tunnelManager || this.tunnelConfigPath !== configPath) {
      void this.tunnelManager?.dispose();
      this.tunnelConfigPath = configPath;
      this.tunnelManager = new TunnelManager({ userConfigPath: configPath, sshPath: this.sshPath() });
      this.tunnelManager.onDidChange((tunnel) => {
        this.deps.logger.info(
          `Tunnel ${tunnel.label} for ${tunnel.deploymentId}: ${tunnel.state} on 127.0.0.1:${tunnel.localPort}` +
            (tunnel.lastError ? ` (${tunnel.lastError})` : ''),
        );
        this.tunnelsChanged.fire();
      });
    }
    return this.tunnelManager;
  }

  /** Tunnel rows for the Instances view, per deployment id. */
  tunnelRows(): Map<string, TunnelRowState[]> {
    const rows = new Map<string, TunnelRowState[]>();
    for (const tunnel of this.tunnelManager?.list() ?? []) {
      if (tunnel.state === 'stopped') {
        continue;
      }
      const list = rows.get(tunnel.deploymentId) ?? [];
      list.push({
        name: tunnel.label,
        localPort: tunnel.localPort,
        remotePort: tunnel.remotePort,
        phase: TUNNEL_PHASE[tunnel.state],
        ...(tunnel.lastError ? { error: tunnel.lastError } : {}),
      });
      rows.set(tunnel.deploymentId, list);
    }
    return rows;
  }

  /** The tunnels of this window, without starting the tunnel manager. */
  tunnelList(): TunnelInfo[] {
    return this.tunnelManager?.list() ?? [];
  }

  /** True once the window is closing: its tunnels stop, but what it remembers of them stays. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /**
   * Starts (or reuses) a tunnel and waits until ssh says it holds the local port. `localPort` asks
   * for a port (a restored tunnel's), else the host's LocalForward port is preferred.
   */
  async openTunnel(
    host: SshHost,
    label: string,
    remotePort: number,
    token?: vscode.CancellationToken,
    localPort?: number,
  ): Promise<TunnelInfo> {
    const manager = this.tunnels();
    const preferred =
      localPort ?? host.forwards.find((forward) => forward.remotePort === remotePort)?.localPort;
    const started = await manager.start({
      deploymentId: host.deploymentId,
      alias: host.tunnelAlias,
      label,
      remotePort,
      ...(preferred ? { preferredLocalPort: preferred } : {}),
    });
    return new Promise<TunnelInfo>((resolve, reject) => {
      const settle = (info: TunnelInfo | undefined) => {
        if (!info) {
          return false;
        }
        if (info.state === 'ready') {
          resolve(info);
          return true;
        }
        if (info.state === 'failed' || info.state === 'stopped') {
          reject(new SshCommandError(`The ${label} tunnel could not start`, info.lastError ?? ''));
          return true;
        }
        return false;
      };
      if (settle(manager.get(started.id))) {
        return;
      }
      const listener = manager.onDidChange((info) => {
        if (info.id === started.id && settle(info)) {
          listener.dispose();
          cancellation?.dispose();
        }
      });
      const cancellation = token?.onCancellationRequested(() => {
        listener.dispose();
        void manager.stop(started.id);
        reject(new vscode.CancellationError());
      });
    });
  }

  /** Runs a command on the instance through our config (the tunnel alias binds no ports). */
  runRemote(host: SshHost, command: string, timeoutMs = 30_000): Promise<ExecResult> {
    return execProgram(
      this.sshPath(),
      [
        '-F',
        this.userConfigPath(),
        '-o',
        'BatchMode=yes',
        '-o',
        'ConnectTimeout=15',
        '--',
        host.tunnelAlias,
        command,
      ],
      { timeoutMs },
    );
  }

  dispose(): void {
    this.disposed = true;
    void this.tunnelManager?.dispose();
    this.tunnelsChanged.dispose();
  }
}
