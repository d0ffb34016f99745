// Sync: regenerate our config file from API state, keep one Include of it at the top of the user's
// config, and prune our known_hosts. Writes only what changed, under a cross-process lock, each
// file atomically with a compare-and-swap against what was read.
import { dirname, join } from 'node:path';
import { ContentChangedError, writeFileAtomic } from './atomicWrite';
import { ConcurrentChangeError, InvalidSshSettingError, NotWritableError } from './errors';
import { withFileLock, type FileLockOptions } from './fileLock';
import { errorCode, nodeFileSystem, readIfExists, statIfExists, type SshFileSystem } from './fileSystem';
import {
  DEFAULT_PORT_FORWARDS,
  hostKeyAliasFor,
  parseOurConfig,
  planHosts,
  renderOurConfig,
  validateHostBlockSettings,
  validatePortForwards,
  type HostBlockSettings,
  type PortForwardSpec,
  type SkippedDeployment,
  type SshDeploymentInput,
  type SshHost,
} from './hostBlocks';
import { pruneKnownHosts } from './knownHosts';
import {
  defaultKnownHostsPath,
  defaultOurConfigPath,
  expandHome,
  toForwardSlashes,
  type SshPaths,
} from './paths';
import { supportsAcceptNew, type OpenSshVersion } from './sshVersion';
import {
  ensureIncludeBlock,
  includeBlockText,
  includeDirective,
  moveIncludeBlockToTop,
  removeIncludeBlock,
  type IncludeContext,
  type IncludeStatus,
} from './userConfig';

export interface SshSyncSettings {
  /** The user's home directory (injectable so tests never touch the real ~/.ssh). */
  readonly homeDir: string;
  /** Already resolved: `remote.SSH.configFile` when set, else `~/.ssh/config`. `~` is expanded. */
  readonly userConfigPath: string;
  /** Default `~/.ssh/spheron/config`. */
  readonly ourConfigPath?: string;
  /** Default `known_hosts` next to our config file. */
  readonly knownHostsPath?: string;
  /** Private key for IdentityFile (+ IdentitiesOnly). Omitted when undefined. */
  readonly identityFile?: string;
  /** Default Jupyter 8888 and TensorBoard 6006. */
  readonly portForwards?: readonly PortForwardSpec[];
  /** From `ssh -V`; below 7.6 host keys are checked with `ask` instead of `accept-new`. */
  readonly opensshVersion?: OpenSshVersion;
}

export interface SshSyncDeps {
  readonly fs?: SshFileSystem;
  readonly platform?: NodeJS.Platform;
  readonly lock?: FileLockOptions;
  /** Compare-and-swap attempts on the user's config before ConcurrentChangeError. */
  readonly maxAttempts?: number;
}

export interface SshSyncResult {
  /** True when at least one file was written. */
  readonly written: boolean;
  readonly filesWritten: readonly string[];
  readonly hosts: readonly SshHost[];
  /** Running deployments that got no block because a value could not be trusted. */
  readonly skipped: readonly SkippedDeployment[];
  /** Blocks removed by this sync. */
  readonly removed: readonly { readonly deploymentId: string; readonly alias: string | undefined }[];
  readonly include: IncludeStatus;
  readonly includeAction: 'none' | 'added' | 'updated';
  readonly paths: SshPaths;
}

export function resolveSshPaths(
  settings: Pick<SshSyncSettings, 'homeDir' | 'userConfigPath' | 'ourConfigPath' | 'knownHostsPath'>,
): SshPaths {
  const home = settings.homeDir;
  const ourConfigPath = expandHome(settings.ourConfigPath ?? defaultOurConfigPath(home), home);
  return {
    userConfigPath: expandHome(settings.userConfigPath, home),
    ourConfigPath,
    knownHostsPath: expandHome(
      settings.knownHostsPath ??
        (settings.ourConfigPath === undefined
          ? defaultKnownHostsPath(home)
          : join(dirname(ourConfigPath), 'known_hosts')),
      home,
    ),
  };
}

export async function syncSshConfig(
  deployments: readonly SshDeploymentInput[],
  settings: SshSyncSettings,
  deps: SshSyncDeps = {},
): Promise<SshSyncResult> {
  const fs = deps.fs ?? nodeFileSystem;
  const platform = deps.platform ?? process.platform;
  const paths = resolveSshPaths(settings);
  const forwards = validatePortForwards(settings.portForwards ?? DEFAULT_PORT_FORWARDS);
  const blockSettings: HostBlockSettings = {
    identityFile:
      settings.identityFile === undefined ? undefined : expandHome(settings.identityFile, settings.homeDir),
    knownHostsPath: paths.knownHostsPath,
    strictHostKeyChecking:
      settings.opensshVersion === undefined || supportsAcceptNew(settings.opensshVersion)
        ? 'accept-new'
        : 'ask',
  };
  const context: IncludeContext = {
    file: paths.userConfigPath,
    ourConfigPath: paths.ourConfigPath,
    homeDir: settings.homeDir,
  };
  if (toForwardSlashes(paths.userConfigPath) === toForwardSlashes(paths.ourConfigPath)) {
    throw new InvalidSshSettingError(
      'Spheron SSH config path',
      paths.ourConfigPath,
      'it is the SSH config file itself',
    );
  }
  includeDirective(paths.ourConfigPath); // throws InvalidSshSettingError before anything is written
  validateHostBlockSettings(blockSettings);

  // Damaged markers or a dangling symlink: refuse before writing anything.
  const userTarget = await resolveWriteTarget(
    fs,
    paths.userConfigPath,
    includeBlockText(paths.ourConfigPath),
  );
  ensureIncludeBlock(await readIfExists(fs, userTarget), context);

  await makeDirectory(fs, dirname(paths.ourConfigPath));
  return withFileLock(
    fs,
    `${paths.ourConfigPath}.lock`,
    async () => {
      const filesWritten: string[] = [];
      const attempts = deps.maxAttempts ?? 5;

      const ours = await editWithRetry(fs, paths.ourConfigPath, platform, attempts, undefined, (before) => {
        const existing = parseOurConfig(before?.toString('utf8') ?? '');
        const plan = planHosts(deployments, existing, forwards);
        const content = Buffer.from(renderOurConfig(plan.hosts, blockSettings), 'utf8');
        return { content, changed: before === null || !before.equals(content), plan, existing };
      });
      if (ours.changed) {
        filesWritten.push(paths.ourConfigPath);
      }
      const { plan, existing } = ours;

      const current = new Set(plan.hosts.map((host) => host.deploymentId.toLowerCase()));
      const removed = existing.filter((entry) => !current.has(entry.deploymentId.toLowerCase()));
      const keep = new Set([...plan.runningIds].map(hostKeyAliasFor));
      const removedKeys = removed.map((entry) => ({
        hostKeyAlias: hostKeyAliasFor(entry.deploymentId),
        port: entry.port,
      }));
      // ssh itself appends to this file (accept-new) without our lock: compare-and-swap covers it.
      const known = await editWithRetry(fs, paths.knownHostsPath, platform, attempts, undefined, (before) => {
        if (before === null) {
          return { content: Buffer.alloc(0), changed: false };
        }
        const pruned = pruneKnownHosts(before, keep, removedKeys);
        return { content: pruned.content, changed: pruned.removedLines > 0 };
      });
      if (known.changed) {
        filesWritten.push(paths.knownHostsPath);
      }

      const edit = await editWithRetry(
        fs,
        userTarget,
        platform,
        attempts,
        includeBlockText(paths.ourConfigPath),
        (bytes) => ensureIncludeBlock(bytes, context),
      );
      if (edit.changed) {
        filesWritten.push(userTarget);
      }
      return {
        written: filesWritten.length > 0,
        filesWritten,
        hosts: plan.hosts,
        skipped: plan.skipped,
        removed: removed.map((entry) => ({ deploymentId: entry.deploymentId, alias: entry.alias })),
        include: edit.status,
        includeAction: edit.action,
        paths,
      };
    },
    deps.lock,
  );
}

export type UserConfigFix = 'move-include-to-top' | 'remove-include';

/** Explicit user actions on the user's config (a "Fix" button, sign-out clean-up). */
export async function fixUserConfig(
  fix: UserConfigFix,
  settings: Pick<SshSyncSettings, 'homeDir' | 'userConfigPath' | 'ourConfigPath'>,
  deps: SshSyncDeps = {},
): Promise<{ changed: boolean }> {
  const fs = deps.fs ?? nodeFileSystem;
  const paths = resolveSshPaths(settings);
  const context: IncludeContext = {
    file: paths.userConfigPath,
    ourConfigPath: paths.ourConfigPath,
    homeDir: settings.homeDir,
  };
  const target = await resolveWriteTarget(fs, paths.userConfigPath, includeBlockText(paths.ourConfigPath));
  await makeDirectory(fs, dirname(paths.ourConfigPath));
  return withFileLock(
    fs,
    `${paths.ourConfigPath}.lock`,
    () =>
      editWithRetry(
        fs,
        target,
        deps.platform ?? process.platform,
        deps.maxAttempts ?? 5,
        includeBlockText(paths.ourConfigPath),
        (bytes) => {
          if (bytes === null) {
            return { content: Buffer.alloc(0), changed: false };
          }
          return fix === 'move-include-to-top'
            ? moveIncludeBlockToTop(bytes, context)
            : removeIncludeBlock(bytes, context);
        },
      ),
    deps.lock,
  );
}

/**
 * Read, transform, write with compare-and-swap; on a concurrent change start over. `manualInclude`
 * marks the user's config: its directory may need creating and errors carry the lines to add.
 */
async function editWithRetry<T extends { content: Buffer; changed: boolean }>(
  fs: SshFileSystem,
  target: string,
  platform: NodeJS.Platform,
  maxAttempts: number,
  manualInclude: string | undefined,
  transform: (bytes: Buffer | null) => T,
): Promise<T> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const before = await readIfExists(fs, target);
    const edit = transform(before);
    if (!edit.changed) {
      return edit;
    }
    if (before === null) {
      await makeDirectory(fs, dirname(target), manualInclude);
    }
    try {
      await writeChecked(fs, target, edit.content, before, platform, manualInclude);
      return edit;
    } catch (error) {
      if (!(error instanceof ContentChangedError)) {
        throw error;
      }
    }
  }
  throw new ConcurrentChangeError(target, maxAttempts);
}

/**
 * Where to write the user's config: a symlink is written through to its target (the link itself is
 * never replaced). A dangling link is refused.
 */
async function resolveWriteTarget(fs: SshFileSystem, path: string, manualInclude: string): Promise<string> {
  let isLink: boolean;
  try {
    isLink = (await fs.lstat(path)).isSymbolicLink();
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return path;
    }
    throw error;
  }
  if (!isLink) {
    return path;
  }
  try {
    return await fs.realpath(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      const link = await fs.readlink(path).catch(() => '?');
      throw new NotWritableError(path, `symbolic link to a missing file (${link})`, manualInclude);
    }
    throw error;
  }
}

const NOT_WRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

async function makeDirectory(fs: SshFileSystem, dir: string, manualInclude?: string): Promise<void> {
  try {
    await fs.mkdir(dir, 0o700);
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined && NOT_WRITABLE_CODES.has(code)) {
      throw new NotWritableError(dir, `cannot create the directory (${code})`, manualInclude);
    }
    throw error;
  }
}

/**
 * Atomic replace that respects read-only intent: a file or directory without the owner's write bit
 * is refused even when we could technically replace it (rename only needs the directory, and
 * root bypasses modes), because a read-only SSH config is usually managed by something else.
 */
async function writeChecked(
  fs: SshFileSystem,
  path: string,
  content: Buffer,
  expected: Buffer | null,
  platform: NodeJS.Platform,
  manualInclude?: string,
): Promise<void> {
  const fileInfo = await statIfExists(fs, path);
  if (fileInfo && (fileInfo.mode & 0o200) === 0) {
    throw new NotWritableError(path, 'read-only file', manualInclude);
  }
  const dirInfo = await statIfExists(fs, dirname(path));
  if (platform !== 'win32' && dirInfo && (dirInfo.mode & 0o200) === 0) {
    throw new NotWritableError(path, `read-only directory ${dirname(path)}`, manualInclude);
  }
  try {
    await writeFileAtomic(fs, path, content, {
      mode: fileInfo ? fileInfo.mode & 0o7777 : 0o600,
      expected,
      platform,
    });
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined && NOT_WRITABLE_CODES.has(code)) {
      throw new NotWritableError(path, code, manualInclude);
    }
    throw error;
  }
}
