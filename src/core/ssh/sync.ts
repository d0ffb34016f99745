// Sync: regenerate this team's section of our config file from API state, keep one Include of it at
// the top of the user's config, and prune the pins of entries it removed. Writes only what changed, under a cross-process lock, each
// file atomically with a compare-and-swap against what was read.
import { createHash } from 'node:crypto';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { ContentChangedError, writeFileAtomic } from './atomicWrite';
import {
  ConcurrentChangeError,
  InvalidSshSettingError,
  MalformedMarkersError,
  NotWritableError,
} from './errors';
import { withFileLock, type FileLockOptions } from './fileLock';
import { errorCode, nodeFileSystem, readIfExists, statIfExists, type SshFileSystem } from './fileSystem';
import {
  ABSENT_ENTRY_GRACE_MS,
  DEFAULT_PORT_FORWARDS,
  hostFromExisting,
  hostKeyAliasFor,
  parseOurConfig,
  planHosts,
  renderHostBlocks,
  validateHostBlockSettings,
  validatePortForwards,
  UNCLAIMED_ENTRY_MAX_AGE_MS,
  type AliasConflict,
  type ExistingHost,
  type HostBlockSettings,
  type HostPlan,
  type PlanOptions,
  type PortForwardSpec,
  type RemovedHost,
  type SkippedDeployment,
  type SshDeploymentInput,
  type SshHost,
} from './hostBlocks';
import { composeTeamSections, splitTeamSections, teamKeyFor, UNCLAIMED_KEY } from './teamSections';
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
  locateInclude,
  moveIncludeBlockToTop,
  removeIncludeBlock,
  userHostNames,
  userIncludes,
  type IncludeContext,
  type IncludeStatus,
  type UserHostLine,
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
  /** The team the list belongs to: only that team's section of our file is replaced. */
  readonly teamId?: string;
  /**
   * When the list was fetched. Entries missing from it are removed only when they were written
   * `absentGraceMs` (default ABSENT_ENTRY_GRACE_MS) before it. Default: now.
   */
  readonly listFetchedAtMs?: number;
  readonly absentGraceMs?: number;
  /**
   * The directory ssh expands `~` to (the password database's home, `os.userInfo().homedir`). When
   * our file lies under it the Include is written `~/…`. Unset: the absolute form.
   */
  readonly tildeHome?: string;
}

export interface SshSyncDeps {
  readonly fs?: SshFileSystem;
  readonly platform?: NodeJS.Platform;
  readonly lock?: FileLockOptions;
  /** Compare-and-swap attempts on the user's config before ConcurrentChangeError. */
  readonly maxAttempts?: number;
  readonly now?: () => number;
  /** Remembers the last sync, so an unchanged one returns before parsing or rendering anything. */
  readonly cache?: SshSyncCache;
}

export interface SshSyncResult {
  /** True when at least one file was written. */
  readonly written: boolean;
  readonly filesWritten: readonly string[];
  /** This team's hosts. */
  readonly hosts: readonly SshHost[];
  /** Running deployments that got no block because a value could not be trusted. */
  readonly skipped: readonly SkippedDeployment[];
  /** Blocks (and their pins) removed by this sync. */
  readonly removed: readonly RemovedHost[];
  /** Aliases that got a suffix because the user's own config already has a host by that name. */
  readonly aliasConflicts: readonly AliasConflict[];
  readonly include: IncludeStatus;
  readonly includeAction: 'none' | 'added' | 'updated';
  readonly paths: SshPaths;
  /** True when the inputs and the files on disk were those of the previous sync: nothing was redone. */
  readonly unchanged: boolean;
}

interface CachedSync {
  readonly inputs: string;
  /** Every file the sync read (ours, the user's and the files it includes) and glob directories. */
  readonly watched: WatchedFiles;
  readonly files: string;
  /** The plan held absent entries too new to judge: after this, a new list may remove them. */
  readonly validUntilMs: number;
  readonly result: SshSyncResult;
}

/** Held by one window; keyed by the files a sync writes. */
export class SshSyncCache {
  private readonly entries = new Map<string, CachedSync>();

  get(key: string): CachedSync | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: CachedSync): void {
    this.entries.set(key, entry);
  }

  clear(): void {
    this.entries.clear();
  }
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
  const nowMs = (deps.now ?? Date.now)();
  const listFetchedAtMs = settings.listFetchedAtMs ?? nowMs;
  const team = teamKeyFor(settings.teamId);
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
  const manualInclude = includeBlockText(paths.ourConfigPath, settings.tildeHome);

  // Damaged markers or a dangling symlink: refuse before writing anything.
  const userTarget = await resolveWriteTarget(fs, paths.userConfigPath, manualInclude);

  // Nothing changed since the last sync (same inputs, same bytes on disk): nothing to redo.
  const cacheKey = JSON.stringify([paths, userTarget, team]);
  const inputs = inputsDigest(deployments, team, blockSettings, forwards, settings.absentGraceMs);
  const cached = deps.cache?.get(cacheKey);
  if (cached && cached.inputs === inputs && listFetchedAtMs < cached.validUntilMs) {
    if ((await filesDigest(fs, cached.watched)) === cached.files) {
      return cached.result;
    }
  }

  const context: IncludeContext = {
    file: paths.userConfigPath,
    ourConfigPath: paths.ourConfigPath,
    homeDir: settings.homeDir,
    ...(settings.tildeHome === undefined ? {} : { tildeHome: settings.tildeHome }),
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
  ensureIncludeBlock(await readIfExists(fs, userTarget), context);

  await makePrivateDirectory(fs, dirname(paths.ourConfigPath));
  const result = await withFileLock(
    fs,
    `${paths.ourConfigPath}.lock`,
    async () => {
      const filesWritten: string[] = [];
      const attempts = deps.maxAttempts ?? 5;
      const user = await collectUserHostNames(fs, userTarget, settings.homeDir, paths.ourConfigPath);
      const userNames = user.names;

      const ours = await editWithRetry(fs, paths.ourConfigPath, platform, attempts, undefined, (before) =>
        planOurFile(before, team, deployments, forwards, blockSettings, {
          userHostNames: userNames,
          listFetchedAtMs,
          absentGraceMs: settings.absentGraceMs ?? ABSENT_ENTRY_GRACE_MS,
          nowMs,
        }),
      );
      if (ours.changed) {
        filesWritten.push(paths.ourConfigPath);
      }
      const { plan } = ours;

      // Only the pins of entries this sync removed, and not while another section still holds
      // the same instance: other teams' pins are not ours to judge.
      const removedKeys = [...plan.removed, ...ours.unclaimedDropped]
        .filter((entry) => !ours.idsElsewhere.has(entry.deploymentId.toLowerCase()))
        .map((entry) => ({ hostKeyAlias: hostKeyAliasFor(entry.deploymentId), port: entry.port }));
      // ssh itself appends to this file (accept-new) without our lock: compare-and-swap covers it.
      const known = await editWithRetry(fs, paths.knownHostsPath, platform, attempts, undefined, (before) => {
        if (before === null) {
          return { content: Buffer.alloc(0), changed: false };
        }
        const pruned = pruneKnownHosts(before, removedKeys);
        return { content: pruned.content, changed: pruned.removedLines > 0 };
      });
      if (known.changed) {
        filesWritten.push(paths.knownHostsPath);
      }

      const edit = await editWithRetry(fs, userTarget, platform, attempts, manualInclude, (bytes) =>
        ensureIncludeBlock(bytes, context),
      );
      if (edit.changed) {
        filesWritten.push(userTarget);
      }
      return {
        watched: {
          files: [paths.ourConfigPath, paths.knownHostsPath, ...user.files],
          directories: user.directories,
        },
        result: {
          written: filesWritten.length > 0,
          filesWritten,
          hosts: plan.hosts,
          skipped: plan.skipped,
          removed: plan.removed,
          aliasConflicts: plan.aliasConflicts,
          include: edit.status,
          includeAction: edit.action,
          paths,
          unchanged: false,
        } satisfies SshSyncResult,
        validUntilMs: plan.pendingUntilMs ?? Number.POSITIVE_INFINITY,
      };
    },
    deps.lock,
  );
  if (deps.cache) {
    deps.cache.set(cacheKey, {
      inputs,
      watched: result.watched,
      files: await filesDigest(fs, result.watched),
      validUntilMs: result.validUntilMs,
      result: {
        ...result.result,
        written: false,
        filesWritten: [],
        removed: [],
        includeAction: 'none',
        unchanged: true,
      },
    });
  }
  return result.result;
}

interface OurFileEdit {
  readonly content: Buffer;
  readonly changed: boolean;
  readonly plan: HostPlan;
  /** Unclaimed hosts dropped because no team's list named them for UNCLAIMED_ENTRY_MAX_AGE_MS. */
  readonly unclaimedDropped: readonly ExistingHost[];
  /** Lowercase ids other sections still hold after the edit. */
  readonly idsElsewhere: ReadonlySet<string>;
}

/**
 * The new text of our file: this team's section re-planned, other teams' sections copied as they
 * were. Hosts from a file older than sections are claimed by the team whose list names them; the
 * rest stay in the unclaimed section (re-rendered as they were) until a list names them or they
 * have waited UNCLAIMED_ENTRY_MAX_AGE_MS.
 */
function planOurFile(
  before: Buffer | null,
  team: string,
  deployments: readonly SshDeploymentInput[],
  forwards: readonly PortForwardSpec[],
  blockSettings: HostBlockSettings,
  options: Pick<PlanOptions, 'userHostNames' | 'listFetchedAtMs' | 'absentGraceMs'> & { nowMs: number },
): OurFileEdit {
  const split = splitTeamSections(before?.toString('utf8') ?? '');
  const listed = new Set(deployments.map((deployment) => String(deployment.id).toLowerCase()));
  const unclaimed = [
    ...parseOurConfig(split.sections.get(UNCLAIMED_KEY) ?? ''),
    ...parseOurConfig(split.unowned),
  ];
  const mine = parseOurConfig(split.sections.get(team) ?? '');
  const mineIds = new Set(mine.map((entry) => entry.deploymentId.toLowerCase()));
  const claimed = unclaimed.filter(
    (entry) => listed.has(entry.deploymentId.toLowerCase()) && !mineIds.has(entry.deploymentId.toLowerCase()),
  );
  const others = [...split.sections].filter(([key]) => key !== team && key !== UNCLAIMED_KEY);
  const otherEntries = others.flatMap(([, body]) => parseOurConfig(body));
  const otherIds = new Set(otherEntries.map((entry) => entry.deploymentId.toLowerCase()));

  const stillUnclaimed: SshHost[] = [];
  const unclaimedDropped: ExistingHost[] = [];
  for (const entry of unclaimed) {
    const id = entry.deploymentId.toLowerCase();
    if (listed.has(id) || mineIds.has(id) || otherIds.has(id)) {
      continue;
    }
    const since = entry.addedAtMs ?? options.nowMs;
    const host =
      options.nowMs - since < UNCLAIMED_ENTRY_MAX_AGE_MS ? hostFromExisting(entry, since) : undefined;
    if (host) {
      stillUnclaimed.push(host);
    } else {
      unclaimedDropped.push(entry);
    }
  }

  const plan = planHosts(deployments, [...mine, ...claimed], forwards, {
    ...options,
    otherAliases: new Set([
      ...otherEntries.flatMap((entry) => (entry.alias ? [entry.alias] : [])),
      ...stillUnclaimed.map((host) => host.alias),
    ]),
    otherLocalPorts: new Set([
      ...otherEntries.flatMap((entry) => [...entry.localPorts.values()]),
      ...stillUnclaimed.flatMap((host) => host.forwards.map((forward) => forward.localPort)),
    ]),
  });
  const sections = new Map(others);
  sections.set(team, renderHostBlocks(plan.hosts, blockSettings));
  sections.set(UNCLAIMED_KEY, renderHostBlocks(stillUnclaimed, blockSettings));
  const content = Buffer.from(composeTeamSections(sections), 'utf8');
  return {
    content,
    changed: before === null || !before.equals(content),
    plan,
    unclaimedDropped,
    idsElsewhere: new Set([...otherIds, ...stillUnclaimed.map((host) => host.deploymentId.toLowerCase())]),
  };
}

function inputsDigest(
  deployments: readonly SshDeploymentInput[],
  team: string,
  blockSettings: HostBlockSettings,
  forwards: readonly PortForwardSpec[],
  absentGraceMs: number | undefined,
): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([team, blockSettings, forwards, absentGraceMs ?? null]));
  for (const d of deployments) {
    hash.update(JSON.stringify([d.id, d.name, d.status, d.ipAddress, d.sshUser, d.sshPort, d.createdAtMs]));
  }
  return hash.digest('hex');
}

interface WatchedFiles {
  readonly files: readonly string[];
  /** Directories of `Include` globs: a file added there can hold a new Host name. */
  readonly directories: readonly string[];
}

async function filesDigest(fs: SshFileSystem, watched: WatchedFiles): Promise<string> {
  const hash = createHash('sha256');
  for (const file of watched.files) {
    const bytes = await readIfExists(fs, file).catch(() => null);
    hash.update(bytes === null ? 'missing' : `${bytes.length}:`);
    if (bytes !== null) {
      hash.update(bytes);
    }
  }
  for (const directory of watched.directories) {
    const names = await fs.readdir(directory).catch(() => []);
    hash.update(JSON.stringify(names.sort()));
  }
  return hash.digest('hex');
}

const MAX_INCLUDED_FILES = 64;

/**
 * The literal Host names of the user's config and of the files it includes (as ssh resolves them:
 * `~`, relative to ~/.ssh, `*`/`?` in the file name), except our own file. Unreadable files are
 * skipped: they cannot define a host ssh would use either.
 */
async function collectUserHostNames(
  fs: SshFileSystem,
  userConfig: string,
  homeDir: string,
  ourConfigPath: string,
): Promise<{ names: Map<string, UserHostLine>; files: string[]; directories: string[] }> {
  const names = new Map<string, UserHostLine>();
  const files: string[] = [];
  const directories: string[] = [];
  const queue = [userConfig];
  const ours = toForwardSlashes(ourConfigPath);
  while (queue.length > 0 && files.length < MAX_INCLUDED_FILES) {
    const file = queue.shift() ?? '';
    if (files.includes(file) || toForwardSlashes(file) === ours) {
      continue;
    }
    files.push(file);
    const bytes = await readIfExists(fs, file).catch(() => null);
    for (const [name, line] of userHostNames(bytes, file === userConfig ? undefined : file)) {
      if (!names.has(name)) {
        names.set(name, line);
      }
    }
    for (const argument of userIncludes(bytes)) {
      const expanded = expandHome(argument, homeDir);
      const path = isAbsolute(expanded) ? expanded : join(homeDir, '.ssh', expanded);
      const name = basename(path);
      if (!/[*?]/.test(name)) {
        queue.push(path);
        continue;
      }
      const directory = dirname(path);
      directories.push(directory);
      const pattern = new RegExp(
        `^${name
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      const entries = await fs.readdir(directory).catch(() => []);
      queue.push(
        ...entries
          .filter((entry) => pattern.test(entry))
          .sort()
          .map((entry) => join(directory, entry)),
      );
    }
  }
  return { names, files, directories };
}

export type UserConfigFix = 'move-include-to-top' | 'remove-include';

/** Explicit user actions on the user's config (a "Fix" button, sign-out clean-up). */
export async function fixUserConfig(
  fix: UserConfigFix,
  settings: Pick<SshSyncSettings, 'homeDir' | 'userConfigPath' | 'ourConfigPath' | 'tildeHome'>,
  deps: SshSyncDeps = {},
): Promise<{ changed: boolean }> {
  const fs = deps.fs ?? nodeFileSystem;
  const edit = await prepareUserConfigFix(fix, settings, deps);
  return withFileLock(fs, `${resolveSshPaths(settings).ourConfigPath}.lock`, edit, deps.lock);
}

/** Resolves where the user's config is written; the returned edit must run under our lock. */
async function prepareUserConfigFix(
  fix: UserConfigFix,
  settings: Pick<SshSyncSettings, 'homeDir' | 'userConfigPath' | 'ourConfigPath' | 'tildeHome'>,
  deps: SshSyncDeps,
): Promise<() => Promise<{ changed: boolean }>> {
  const fs = deps.fs ?? nodeFileSystem;
  const paths = resolveSshPaths(settings);
  const context: IncludeContext = {
    file: paths.userConfigPath,
    ourConfigPath: paths.ourConfigPath,
    homeDir: settings.homeDir,
    ...(settings.tildeHome === undefined ? {} : { tildeHome: settings.tildeHome }),
  };
  const manualInclude = includeBlockText(paths.ourConfigPath, settings.tildeHome);
  const target = await resolveWriteTarget(fs, paths.userConfigPath, manualInclude);
  // The lock file lives beside our config.
  await makePrivateDirectory(fs, dirname(paths.ourConfigPath));
  return () =>
    editWithRetry(
      fs,
      target,
      deps.platform ?? process.platform,
      deps.maxAttempts ?? 5,
      manualInclude,
      (bytes) => {
        if (bytes === null) {
          return { content: Buffer.alloc(0), changed: false };
        }
        return fix === 'move-include-to-top'
          ? moveIncludeBlockToTop(bytes, context)
          : removeIncludeBlock(bytes, context);
      },
    );
}

/** Whether anything of ours is on disk: our file, our known_hosts, or our block in the user's config. */
export async function sshEntriesPresent(
  settings: Pick<SshSyncSettings, 'homeDir' | 'userConfigPath' | 'ourConfigPath' | 'knownHostsPath'>,
  deps: Pick<SshSyncDeps, 'fs'> = {},
): Promise<boolean> {
  const fs = deps.fs ?? nodeFileSystem;
  const paths = resolveSshPaths(settings);
  if ((await statIfExists(fs, paths.ourConfigPath)) || (await statIfExists(fs, paths.knownHostsPath))) {
    return true;
  }
  const context = {
    file: paths.userConfigPath,
    ourConfigPath: paths.ourConfigPath,
    homeDir: settings.homeDir,
  };
  try {
    return locateInclude(await readIfExists(fs, paths.userConfigPath), context).state !== 'missing';
  } catch (error) {
    // Damaged markers are ours to clean up too.
    if (error instanceof MalformedMarkersError) {
      return true;
    }
    throw error;
  }
}

export interface RemoveSshEntriesResult {
  /** The user's config lost our block (every other byte as it was). */
  readonly includeRemoved: boolean;
  /** Our config file and our known_hosts, when they existed. */
  readonly filesRemoved: readonly string[];
}

/**
 * "Remove SSH Entries": our block leaves the user's config, our file and our known_hosts go. Every
 * team's hosts go with them: the files are one user's, whichever team they were signed in to.
 */
export async function removeSshEntries(
  settings: Pick<
    SshSyncSettings,
    'homeDir' | 'userConfigPath' | 'ourConfigPath' | 'knownHostsPath' | 'tildeHome'
  >,
  deps: SshSyncDeps = {},
): Promise<RemoveSshEntriesResult> {
  const fs = deps.fs ?? nodeFileSystem;
  const paths = resolveSshPaths(settings);
  const removeInclude = await prepareUserConfigFix('remove-include', settings, deps);
  const filesRemoved: string[] = [];
  // One lock for the block and the files: another window's sync cannot write between them and
  // leave an Include of a file that is then deleted.
  const userConfig = await withFileLock(
    fs,
    `${paths.ourConfigPath}.lock`,
    async () => {
      const edited = await removeInclude();
      for (const file of [paths.ourConfigPath, paths.knownHostsPath]) {
        try {
          await fs.unlink(file);
          filesRemoved.push(file);
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') {
            throw error;
          }
        }
      }
      return edited;
    },
    deps.lock,
  );
  deps.cache?.clear();
  return { includeRemoved: userConfig.changed, filesRemoved };
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

/** Our own directory holds pinned host keys: only its owner may read or list it. */
async function makePrivateDirectory(fs: SshFileSystem, dir: string): Promise<void> {
  await makeDirectory(fs, dir);
  const info = await statIfExists(fs, dir);
  if (info && (info.mode & 0o077) !== 0) {
    await fs.chmod(dir, info.mode & 0o700);
  }
}

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
