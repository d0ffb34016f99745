// Our own config file: which running deployments get a Host block, under which alias and local
// ports, how the blocks are rendered, and how a previous file is read back so aliases and ports
// stay stable across syncs. What we render is verified with `ssh-config` before it is written.
import SSHConfig from 'ssh-config';
import type { Deployment } from '../domain/types';
import { parseDirective } from './configText';
import { sshPathValue } from './paths';
import {
  ALIAS_PATTERN,
  checkHostAddress,
  checkSshPort,
  checkSshUser,
  describeUntrusted,
  isPortNumber,
  isValidDeploymentId,
  sanitizeAliasName,
  shortId,
} from './validate';
import { InvalidSshSettingError } from './errors';
import { isEnded } from '../model/classify';

export interface PortForwardSpec {
  readonly label: string;
  readonly remotePort: number;
}

export const DEFAULT_PORT_FORWARDS: readonly PortForwardSpec[] = [
  { label: 'Jupyter', remotePort: 8888 },
  { label: 'TensorBoard', remotePort: 6006 },
];

export interface HostForward {
  readonly label: string;
  readonly remotePort: number;
  readonly localPort: number;
}

/** What the SSH layer needs from a deployment. */
export type SshDeploymentInput = Pick<
  Deployment,
  'id' | 'name' | 'status' | 'ipAddress' | 'sshUser' | 'sshPort' | 'createdAtMs'
>;

export interface SshHost {
  readonly deploymentId: string;
  readonly name: string | null;
  /** `spheron-<name>`; what Remote-SSH and `ssh <alias>` use. */
  readonly alias: string;
  /** Same settings as `alias` but without LocalForward lines: used by our own `ssh -L` tunnels. */
  readonly tunnelAlias: string;
  /** `spheron-<id>`: the known_hosts key, so a recycled IP never meets a stale host key. */
  readonly hostKeyAlias: string;
  readonly hostName: string;
  readonly user: string;
  readonly port: number;
  readonly forwards: readonly HostForward[];
  /** When the entry was first written (ms); an absent entry younger than the grace is kept. */
  readonly addedAtMs: number;
}

export interface SkippedDeployment {
  readonly deploymentId: string;
  readonly name: string | null;
  readonly reason: string;
}

/** What a previous version of our file said about one deployment. */
export interface ExistingHost {
  readonly deploymentId: string;
  readonly alias: string | undefined;
  readonly hostName?: string | undefined;
  readonly user?: string | undefined;
  readonly port: number | undefined;
  /** remote port → local port */
  readonly localPorts: ReadonlyMap<number, number>;
  /** Undefined in files written before entries carried it: treated as long ago. */
  readonly addedAtMs?: number | undefined;
}

export interface RemovedHost {
  readonly deploymentId: string;
  readonly alias: string | undefined;
  readonly port: number | undefined;
  readonly reason: 'ended' | 'gone';
}

/** A name we would have given that a `Host` line of the user's own config already answers to. */
export interface AliasConflict {
  readonly deploymentId: string;
  readonly wanted: string;
  readonly alias: string;
  /** `file` is set when the line is in a file the user's config includes. */
  readonly userLine: { readonly number: number; readonly text: string; readonly file?: string };
}

export interface HostPlan {
  readonly hosts: readonly SshHost[];
  readonly skipped: readonly SkippedDeployment[];
  /** Lowercase ids of every running deployment, including skipped ones (their host keys are kept). */
  readonly runningIds: ReadonlySet<string>;
  /** Entries of this team that go: the list says the instance ended, or it is gone from the list. */
  readonly removed: readonly RemovedHost[];
  /** Absent entries kept because they are too new to judge: the plan may differ after this time. */
  readonly pendingUntilMs: number | undefined;
  readonly aliasConflicts: readonly AliasConflict[];
}

export interface PlanOptions {
  /** Lowercase literal names from `Host` lines of the user's own config, with the line. */
  readonly userHostNames?: ReadonlyMap<
    string,
    { readonly number: number; readonly text: string; readonly file?: string }
  >;
  /** Aliases and local ports other teams' sections hold: never handed out twice. */
  readonly otherAliases?: ReadonlySet<string>;
  readonly otherLocalPorts?: ReadonlySet<number>;
  /**
   * When the list was fetched. An entry missing from it is gone only when it was written at least
   * `absentGraceMs` earlier: a list fetched before another window added an instance says nothing
   * about it. Default: every absent entry is gone.
   */
  readonly listFetchedAtMs?: number;
  readonly absentGraceMs?: number;
  /** Stamped on new entries. Default: `listFetchedAtMs`, else 0. */
  readonly nowMs?: number;
}

/** Long enough for any list request in flight (timeouts and retries included) to have finished. */
export const ABSENT_ENTRY_GRACE_MS = 5 * 60_000;

/** An unclaimed host (from a file older than team sections) no team's list named for this long goes. */
export const UNCLAIMED_ENTRY_MAX_AGE_MS = 7 * 24 * 60 * 60_000;

/**
 * A previous entry as a host to render again unchanged (unclaimed hosts); undefined when a value
 * no longer passes validation.
 */
export function hostFromExisting(entry: ExistingHost, addedAtMs: number): SshHost | undefined {
  const address = checkHostAddress(entry.hostName);
  const user = checkSshUser(entry.user);
  const port = checkSshPort(entry.port);
  // `entry.alias === undefined` only narrows the type (the pattern fails on undefined): equivalent.
  if (!address.ok || !user.ok || !port.ok || entry.alias === undefined || !ALIAS_PATTERN.test(entry.alias)) {
    return undefined;
  }
  return {
    deploymentId: entry.deploymentId,
    name: null,
    alias: entry.alias,
    tunnelAlias: tunnelAliasFor(entry.alias),
    hostKeyAlias: hostKeyAliasFor(entry.deploymentId),
    hostName: address.value,
    user: user.value,
    port: port.value,
    forwards: [...entry.localPorts]
      .sort(([a], [b]) => a - b)
      .map(([remotePort, localPort]) => ({ label: '', remotePort, localPort })),
    addedAtMs,
  };
}

export function tunnelAliasFor(alias: string): string {
  return `${alias}.tunnel`;
}

export function hostKeyAliasFor(deploymentId: string): string {
  return `spheron-${deploymentId.toLowerCase()}`;
}

export function validatePortForwards(forwards: readonly PortForwardSpec[]): PortForwardSpec[] {
  const seen = new Set<number>();
  const result: PortForwardSpec[] = [];
  for (const forward of forwards) {
    if (!isPortNumber(forward.remotePort)) {
      throw new InvalidSshSettingError('port forwards', String(forward.remotePort), 'a port must be 1-65535');
    }
    if (!seen.has(forward.remotePort)) {
      seen.add(forward.remotePort);
      result.push(forward);
    }
  }
  return result;
}

/**
 * Decide this team's blocks. Running deployments with valid values get one; a previous alias and
 * local ports are kept; a new alias gets the short id appended when its name is taken (by another
 * instance, another team, or a `Host` line of the user's own config). An existing entry is removed
 * only when the list says its instance ended, or the list (old enough to know it) lacks it; an
 * instance listed as stopped or starting keeps the entry it had.
 */
export function planHosts(
  deployments: readonly SshDeploymentInput[],
  existing: readonly ExistingHost[],
  forwards: readonly PortForwardSpec[],
  options: PlanOptions = {},
): HostPlan {
  const previous = new Map(existing.map((entry) => [entry.deploymentId.toLowerCase(), entry]));
  const userNames =
    options.userHostNames ?? new Map<string, { number: number; text: string; file?: string }>();
  const otherAliases = options.otherAliases ?? new Set<string>();
  const nowMs = options.nowMs ?? options.listFetchedAtMs ?? 0;
  const skipped: SkippedDeployment[] = [];
  const runningIds = new Set<string>();
  const listedIds = new Set<string>();
  const endedIds = new Set<string>();
  const candidates: {
    input: SshDeploymentInput;
    hostName: string;
    user: string;
    port: number;
    addedAtMs: number;
  }[] = [];

  for (const input of deployments) {
    if (isValidDeploymentId(input.id)) {
      listedIds.add(input.id.toLowerCase());
      if (isEnded(input.status)) {
        endedIds.add(input.id.toLowerCase());
      }
    }
  }
  for (const input of deployments) {
    const name = typeof input.name === 'string' ? input.name : null;
    if (input.status !== 'running') {
      // Stopped or starting: the entry it had (if any) stays as it was.
      const kept = isValidDeploymentId(input.id) ? previous.get(input.id.toLowerCase()) : undefined;
      if (kept && !isEnded(input.status) && !runningIds.has(input.id.toLowerCase())) {
        const restored = restoreCandidate(kept, input);
        if (restored) {
          runningIds.add(input.id.toLowerCase());
          candidates.push(restored);
        }
      }
      continue;
    }
    if (!isValidDeploymentId(input.id)) {
      skipped.push({
        deploymentId: String(input.id),
        name,
        reason: `unusable deployment id ${describeUntrusted(input.id)}`,
      });
      continue;
    }
    const key = input.id.toLowerCase();
    if (runningIds.has(key)) {
      skipped.push({ deploymentId: input.id, name, reason: 'the API listed this deployment twice' });
      continue;
    }
    runningIds.add(key);
    const address = checkHostAddress(input.ipAddress);
    const user = checkSshUser(input.sshUser);
    const port = checkSshPort(input.sshPort);
    const problem = [address, user, port].find((checked) => !checked.ok);
    if (problem && !problem.ok) {
      skipped.push({ deploymentId: input.id, name, reason: problem.reason });
      continue;
    }
    // Always true after the check above; it narrows the types (equivalent mutants).
    if (address.ok && user.ok && port.ok) {
      candidates.push({
        input,
        hostName: address.value,
        user: user.value,
        port: port.value,
        addedAtMs: previous.get(key)?.addedAtMs ?? nowMs,
      });
    }
  }

  // Absent entries: gone only when the list is old enough to have known them.
  const removed: RemovedHost[] = [];
  let pendingUntilMs: number | undefined;
  const grace = options.absentGraceMs ?? 0;
  for (const entry of existing) {
    const key = entry.deploymentId.toLowerCase();
    if (runningIds.has(key)) {
      continue;
    }
    const base = { deploymentId: entry.deploymentId, alias: entry.alias, port: entry.port };
    if (endedIds.has(key) || listedIds.has(key)) {
      // Ended, or listed running/stopped with values we cannot use: its entry goes.
      removed.push({ ...base, reason: endedIds.has(key) ? 'ended' : 'gone' });
      continue;
    }
    const until = (entry.addedAtMs ?? 0) + grace;
    // `!== undefined` narrows the type: `undefined < until` is false anyway (equivalent).
    if (options.listFetchedAtMs !== undefined && options.listFetchedAtMs < until) {
      const restored = restoreCandidate(entry, undefined);
      if (restored) {
        runningIds.add(key);
        candidates.push(restored);
        pendingUntilMs = Math.min(pendingUntilMs ?? until, until);
        continue;
      }
    }
    removed.push({ ...base, reason: 'gone' });
  }

  // Aliases: keep previous ones first, then assign new ones oldest-first. The user's own names and
  // other teams' aliases are never handed out.
  const aliasConflicts: AliasConflict[] = [];
  const aliasById = new Map<string, string>();
  const takenAliases = new Set<string>([...otherAliases, ...userNames.keys()]);
  // A previous alias is kept only while it still follows the instance's name: after a rename
  // the alias follows the new name and the old one goes (Rename promises as much).
  const keepers = candidates
    .map((candidate) => ({ candidate, alias: previous.get(candidate.input.id.toLowerCase())?.alias }))
    .filter(
      (entry): entry is { candidate: (typeof candidates)[number]; alias: string } =>
        entry.alias !== undefined &&
        ALIAS_PATTERN.test(entry.alias) &&
        aliasFollowsName(entry.alias, entry.candidate.input),
    )
    // Order only matters between equal aliases, which a stable sort leaves as they were: an
    // equivalent mutant when dropped.
    .sort((a, b) => compareStrings(a.alias, b.alias));
  for (const { candidate, alias } of keepers) {
    if (!takenAliases.has(alias)) {
      takenAliases.add(alias);
      aliasById.set(candidate.input.id, alias);
    }
  }
  const byAge = [...candidates].sort(
    (a, b) =>
      (a.input.createdAtMs ?? Number.MAX_SAFE_INTEGER) - (b.input.createdAtMs ?? Number.MAX_SAFE_INTEGER) ||
      compareStrings(a.input.id, b.input.id),
  );
  for (const { input } of byAge) {
    if (!aliasById.has(input.id)) {
      const alias = newAlias(input, takenAliases);
      takenAliases.add(alias);
      aliasById.set(input.id, alias);
    }
  }
  for (const { input } of candidates) {
    const alias = aliasById.get(input.id);
    const wanted = [previous.get(input.id.toLowerCase())?.alias, preferredAlias(input)].find(
      (name) => name !== undefined && userNames.has(name),
    );
    // `wanted` is a user name or undefined, and an alias is never a user name: the tests on
    // `wanted`, `userLine` and `wanted !== alias` below only narrow types (equivalent mutants).
    const userLine = wanted === undefined ? undefined : userNames.get(wanted);
    if (alias !== undefined && wanted !== undefined && userLine && wanted !== alias) {
      aliasConflicts.push({ deploymentId: input.id, wanted, alias, userLine });
    }
  }

  // Local ports: distinct across all instances, forwards and teams; previous ones kept.
  const usedPorts = new Set<number>(options.otherLocalPorts ?? []);
  const searchFrom = new Map<number, number>();
  const localPorts = new Map<string, Map<number, number>>();
  for (const { input } of byAge) {
    const kept = new Map<number, number>();
    const before = previous.get(input.id.toLowerCase())?.localPorts;
    for (const forward of forwards) {
      const local = before?.get(forward.remotePort);
      // `local !== undefined` only narrows the type (isPortNumber(undefined) is false).
      if (local !== undefined && isPortNumber(local) && !usedPorts.has(local)) {
        usedPorts.add(local);
        kept.set(forward.remotePort, local);
      }
    }
    localPorts.set(input.id, kept);
  }
  for (const { input } of byAge) {
    const ports = localPorts.get(input.id) ?? new Map<number, number>();
    for (const forward of forwards) {
      if (!ports.has(forward.remotePort)) {
        const local = nextFreePort(forward.remotePort, usedPorts, searchFrom);
        usedPorts.add(local);
        ports.set(forward.remotePort, local);
      }
    }
    localPorts.set(input.id, ports);
  }

  const hosts = byAge
    .map(({ input, hostName, user, port, addedAtMs }): SshHost => {
      const alias = aliasById.get(input.id) ?? `spheron-${shortId(input.id)}`;
      const ports = localPorts.get(input.id);
      return {
        deploymentId: input.id,
        name: typeof input.name === 'string' ? input.name : null,
        alias,
        tunnelAlias: tunnelAliasFor(alias),
        hostKeyAlias: hostKeyAliasFor(input.id),
        hostName,
        user,
        port,
        forwards: forwards.map((forward) => ({
          label: forward.label,
          remotePort: forward.remotePort,
          localPort: ports?.get(forward.remotePort) ?? forward.remotePort,
        })),
        addedAtMs,
      };
    })
    .sort((a, b) => compareStrings(a.alias, b.alias));
  return { hosts, skipped, runningIds, removed, pendingUntilMs, aliasConflicts };
}

/** An entry carried over unchanged (instance stopped, or too new for this list): its values re-checked. */
function restoreCandidate(
  entry: ExistingHost,
  input: SshDeploymentInput | undefined,
):
  { input: SshDeploymentInput; hostName: string; user: string; port: number; addedAtMs: number } | undefined {
  const address = checkHostAddress(entry.hostName);
  const user = checkSshUser(entry.user);
  const port = checkSshPort(entry.port);
  if (!address.ok || !user.ok || !port.ok) {
    return undefined;
  }
  return {
    input: input ?? {
      id: entry.deploymentId,
      name: null,
      status: 'running',
      ipAddress: address.value,
      sshUser: user.value,
      sshPort: port.value,
      createdAtMs: null,
    },
    hostName: address.value,
    user: user.value,
    port: port.value,
    addedAtMs: entry.addedAtMs ?? 0,
  };
}

function preferredAlias(input: Pick<SshDeploymentInput, 'id' | 'name'>): string {
  const name = sanitizeAliasName(input.name);
  return name ? `spheron-${name}` : `spheron-${shortId(input.id)}`;
}

/**
 * Whether `alias` is one newAlias could give this instance under its current name (the name, the
 * name with the short id, the id, or a counted variant). An entry restored without a listed name
 * keeps whatever it had.
 */
export function aliasFollowsName(alias: string, input: Pick<SshDeploymentInput, 'id' | 'name'>): boolean {
  if (input.name === null || input.name === undefined) {
    return true;
  }
  const short = shortId(input.id);
  const base = preferredAlias(input);
  return (
    alias === base ||
    alias === `${base}-${short}` ||
    alias === `spheron-${sanitizeAliasName(input.id, 64)}` ||
    (alias.startsWith(`${base}-${short}-`) && /^\d+$/.test(alias.slice(`${base}-${short}-`.length)))
  );
}

function newAlias(input: SshDeploymentInput, taken: ReadonlySet<string>): string {
  const name = sanitizeAliasName(input.name);
  const short = shortId(input.id);
  const base = name ? `spheron-${name}` : `spheron-${short}`;
  const attempts = [
    base,
    name ? `${base}-${short}` : undefined,
    `spheron-${sanitizeAliasName(input.id, 64)}`,
  ].filter((alias): alias is string => alias !== undefined && ALIAS_PATTERN.test(alias));
  for (const alias of attempts) {
    if (!taken.has(alias)) {
      return alias;
    }
  }
  for (let counter = 2; ; counter++) {
    const alias = `${base}-${short}-${counter}`;
    if (!taken.has(alias)) {
      return alias;
    }
  }
}

/** `searchFrom` remembers, per preferred port, where the last search ended: ports only get used. */
function nextFreePort(preferred: number, used: ReadonlySet<number>, searchFrom: Map<number, number>): number {
  for (let port = searchFrom.get(preferred) ?? preferred; port <= 65535; port++) {
    if (!used.has(port)) {
      searchFrom.set(preferred, port);
      return port;
    }
  }
  // `<=` would try `preferred` again, which the first loop found used (equivalent mutant).
  for (let port = 1024; port < preferred; port++) {
    if (!used.has(port)) {
      return port;
    }
  }
  throw new Error('No local port left to allocate.');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Rendering

export interface HostBlockSettings {
  /** Absolute path of the private key; omitted (with IdentitiesOnly) when undefined. */
  readonly identityFile: string | undefined;
  /** Absolute path of our known_hosts. */
  readonly knownHostsPath: string;
  /** `accept-new` needs OpenSSH 7.6; older clients get `ask`. */
  readonly strictHostKeyChecking: 'accept-new' | 'ask';
}

export const SERVER_ALIVE_INTERVAL = 30;
export const SERVER_ALIVE_COUNT_MAX = 4;

const ID_COMMENT_PREFIX = '# spheron-id: ';
const ADDED_COMMENT_PREFIX = '# spheron-added: ';

const FILE_HEADER = [
  '# Managed by Spheron for VS Code. Regenerated from the Spheron API on every sync:',
  '# edits here are overwritten. Put your own settings in your main SSH config instead.',
  '# Each instance has two blocks: its settings, shared with "<alias>.tunnel" (used by the',
  "# extension's own port tunnels), and its LocalForward lines, which apply to <alias> only.",
];

type Directive = readonly [keyword: string, value: string];

interface RenderedBlock {
  readonly patterns: readonly string[];
  readonly deploymentId: string;
  readonly addedAtMs?: number;
  readonly directives: readonly Directive[];
}

/** Throws InvalidSshSettingError when a path setting cannot be written into ssh_config. */
export function validateHostBlockSettings(settings: HostBlockSettings): void {
  blocksFor(
    {
      deploymentId: 'check',
      name: null,
      alias: 'spheron-check',
      tunnelAlias: tunnelAliasFor('spheron-check'),
      hostKeyAlias: hostKeyAliasFor('check'),
      hostName: '127.0.0.1',
      user: 'check',
      port: 22,
      forwards: [],
      addedAtMs: 0,
    },
    settings,
  );
}

/** The path values of the settings as ssh_config arguments (validated once per render). */
function settingValues(settings: HostBlockSettings): {
  identityFile: string | undefined;
  knownHosts: string;
} {
  return {
    identityFile:
      settings.identityFile === undefined
        ? undefined
        : sshPathValue(settings.identityFile, {
            setting: 'identity file',
            expandsTokens: true,
            globs: false,
          }),
    knownHosts: sshPathValue(settings.knownHostsPath, {
      setting: 'known_hosts path',
      expandsTokens: true,
      globs: false,
    }),
  };
}

function blocksFor(
  host: SshHost,
  settings: HostBlockSettings,
  values = settingValues(settings),
): RenderedBlock[] {
  const main: Directive[] = [
    ['HostName', host.hostName],
    ['User', host.user],
    ['Port', String(host.port)],
  ];
  if (values.identityFile !== undefined) {
    main.push(['IdentityFile', values.identityFile], ['IdentitiesOnly', 'yes']);
  }
  main.push(
    ['HostKeyAlias', host.hostKeyAlias],
    ['UserKnownHostsFile', values.knownHosts],
    ['StrictHostKeyChecking', settings.strictHostKeyChecking],
    ['CheckHostIP', 'no'],
    // Debian's /etc/ssh/ssh_config hashes by default; plain entries let us prune our own file.
    ['HashKnownHosts', 'no'],
    ['ServerAliveInterval', String(SERVER_ALIVE_INTERVAL)],
    ['ServerAliveCountMax', String(SERVER_ALIVE_COUNT_MAX)],
  );
  const blocks: RenderedBlock[] = [
    {
      patterns: [host.alias, `${host.tunnelAlias}*`],
      deploymentId: host.deploymentId,
      addedAtMs: host.addedAtMs,
      directives: main,
    },
  ];
  if (host.forwards.length > 0) {
    blocks.push({
      patterns: [host.alias],
      deploymentId: host.deploymentId,
      directives: host.forwards.map((forward): Directive => [
        'LocalForward',
        `127.0.0.1:${forward.localPort} localhost:${forward.remotePort}`,
      ]),
    });
  }
  return blocks;
}

export const OUR_FILE_HEADER = FILE_HEADER.join('\n') + '\n';

/** The whole text of our file for one set of hosts. Always LF; deterministic for the same input. */
export function renderOurConfig(hosts: readonly SshHost[], settings: HostBlockSettings): string {
  return OUR_FILE_HEADER + renderHostBlocks(hosts, settings);
}

/** The Host blocks alone (each preceded by a blank line), verified before they are returned. */
export function renderHostBlocks(hosts: readonly SshHost[], settings: HostBlockSettings): string {
  let text = '';
  const values = settingValues(settings);
  for (const host of hosts) {
    const blocks = blocksFor(host, settings, values);
    const lines: string[] = [];
    for (const block of blocks) {
      lines.push('', `Host ${block.patterns.join(' ')}`, `  ${ID_COMMENT_PREFIX}${block.deploymentId}`);
      if (block.addedAtMs !== undefined) {
        lines.push(`  ${ADDED_COMMENT_PREFIX}${Math.max(0, Math.floor(block.addedAtMs))}`);
      }
      for (const [keyword, value] of block.directives) {
        lines.push(`  ${keyword} ${value}`);
      }
    }
    const chunk = lines.join('\n') + '\n';
    // The cache and its bound below only save time and memory: verifying again, or never
    // clearing, gives the same text (equivalent mutants).
    if (!VERIFIED_CHUNKS.has(chunk)) {
      verifyRendered(chunk, blocks);
      rememberVerified(chunk);
    }
    text += chunk;
  }
  return text;
}

/**
 * Host texts already verified, so a sync re-verifies only hosts whose text changed (parsing 500
 * hosts with `ssh-config` on every refresh costs more than the rest of the sync). Bounded.
 */
const VERIFIED_CHUNKS = new Set<string>();
const MAX_VERIFIED_CHUNKS = 4_096;

function rememberVerified(chunk: string): void {
  if (VERIFIED_CHUNKS.size >= MAX_VERIFIED_CHUNKS) {
    VERIFIED_CHUNKS.clear();
  }
  VERIFIED_CHUNKS.add(chunk);
}

/**
 * Defence in depth: parse what we are about to write (our own line scan and `ssh-config`) and
 * refuse if it holds any line or directive we did not intend. Validation should make this
 * unreachable; if it ever fires, nothing is written.
 */
function verifyRendered(text: string, blocks: readonly RenderedBlock[]): void {
  const fail = (what: string) => {
    throw new Error(`Internal error: the generated SSH config is not what was intended (${what}).`);
  };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) {
    fail('control character');
  }
  const expected = blocks.flatMap((block) => [
    ['Host', block.patterns.join(' ')] as Directive,
    ...block.directives,
  ]);
  const actualLines = text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (actualLines.length !== expected.length) {
    fail('line count');
  }
  actualLines.forEach((line, index) => {
    const [keyword, value] = expected[index] ?? ['', ''];
    const wanted = keyword === 'Host' ? `Host ${value}` : `  ${keyword} ${value}`;
    if (line !== wanted) {
      fail(`line ${JSON.stringify(line)}`);
    }
  });

  // Once every line is the intended one, a value made only of plain tokens reads back from any ssh
  // config parser as itself: only text with quotes, `=`, `#`, backslashes or doubled spaces needs
  // ssh-config's reading below, as does text with more id comments than blocks. (Parsing 500 plain
  // hosts took most of a first sync's time.) Mutants that only send more text to the parser give
  // the same result more slowly (equivalent); those that skip it for a risky value are killed.
  // Stryker disable next-line BlockStatement: without the early return every block is parsed (equivalent)
  if (blocks.every(isPlainBlock) && idCommentCount(text) === blocks.length) {
    return;
  }
  // Defence in depth behind the line check: once every line is the intended one, ssh-config finds
  // the intended sections and keywords, so the section count, header and keyword failures below
  // cannot be reached by any input (their mutants are excluded; the checks stay).
  const parsed = SSHConfig.parse(text);
  const sections = parsed.filter((line) => line.type === SSHConfig.DIRECTIVE);
  // Stryker disable next-line all: unreachable once the line check passed (above)
  if (sections.length !== blocks.length) {
    fail('section count');
  }
  sections.forEach((section, index) => {
    const block = blocks[index];
    // Stryker disable next-line all: unreachable once the line check passed (above)
    if (!block || section.param !== 'Host' || !('config' in section)) {
      fail('section header');
      return;
    }
    if (valueList(section.value).join(' ') !== block.patterns.join(' ')) {
      fail('host patterns');
    }
    const inner = section.config.filter((line) => line.type === SSHConfig.DIRECTIVE);
    const ids = section.config.filter(
      (line) =>
        line.type === SSHConfig.COMMENT && line.content === `${ID_COMMENT_PREFIX}${block.deploymentId}`,
    );
    if (ids.length !== 1 || inner.length !== block.directives.length) {
      fail('section body');
    }
    inner.forEach((directive, position) => {
      const [keyword, value] = block.directives[position] ?? ['', ''];
      // Stryker disable next-line all: unreachable once the line check passed (above)
      if (directive.type !== SSHConfig.DIRECTIVE || directive.param !== keyword) {
        fail(`directive ${keyword}`);
        return;
      }
      if (valueList(directive.value).join(' ') !== unquote(value)) {
        fail(`value of ${keyword}`);
      }
    });
  });
}

/** A token no ssh config parser splits, unquotes or cuts: no whitespace, quotes, `=`, `#` or `\\`. */
const PLAIN_TOKEN = /^[^\s"'=#\\]+$/;

/** Id comment lines in `text`: one per block, unless a value smuggled in another. */
function idCommentCount(text: string): number {
  return text.split('\n').filter((line) => line.trim().startsWith(ID_COMMENT_PREFIX)).length;
}

function isPlainBlock(block: RenderedBlock): boolean {
  return (
    block.patterns.every((pattern) => PLAIN_TOKEN.test(pattern)) &&
    block.directives.every(([, value]) => value.split(' ').every((token) => PLAIN_TOKEN.test(token)))
  );
}

function valueList(value: string | readonly { val: string }[]): string[] {
  return typeof value === 'string' ? [value] : value.map((part) => part.val);
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

// ---------------------------------------------------------------------------------------------
// Reading a previous version of our file

const LOCAL_FORWARD = /^127\.0\.0\.1:(\d{1,5})\s+localhost:(\d{1,5})$/;
const KEYWORD = /^[^\s=]+/;
/** The directives a previous file is read back for; the others are regenerated anyway. */
const READ_BACK = new Set(['hostname', 'user', 'port', 'localforward']);

/**
 * Tolerant: anything it does not recognise is ignored (and then regenerated). A line scan of our
 * own format (Host line, indented directives and id comments), not a general ssh_config parser:
 * it runs on every sync that is not a no-op.
 */
export function parseOurConfig(text: string): ExistingHost[] {
  interface Entry {
    deploymentId: string;
    alias?: string;
    hostName?: string;
    user?: string;
    port?: number;
    addedAtMs?: number;
    localPorts: Map<number, number>;
  }
  const byId = new Map<string, Entry>();
  let block: { patterns: readonly string[]; lines: string[] } | undefined;
  const blocks: { patterns: readonly string[]; lines: string[] }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      continue;
    }
    if (line.startsWith('#')) {
      block?.lines.push(line);
      continue;
    }
    const keyword = KEYWORD.exec(line)?.[0].toLowerCase();
    if (keyword === 'host' || keyword === 'match') {
      const directive = parseDirective(line);
      block = { patterns: directive?.keyword === 'host' ? directive.args : [], lines: [] };
      blocks.push(block);
    } else if (block && keyword !== undefined && READ_BACK.has(keyword)) {
      block.lines.push(line);
    }
  }
  for (const { patterns, lines } of blocks) {
    const idLine = lines.find((line) => line.startsWith(ID_COMMENT_PREFIX));
    const id = idLine === undefined ? '' : idLine.slice(ID_COMMENT_PREFIX.length).trim();
    if (!isValidDeploymentId(id)) {
      continue;
    }
    const entry = byId.get(id.toLowerCase()) ?? { deploymentId: id, localPorts: new Map<number, number>() };
    entry.alias ??= patterns.find((pattern) => ALIAS_PATTERN.test(pattern));
    for (const line of lines) {
      if (line.startsWith(ADDED_COMMENT_PREFIX)) {
        const added = Number(line.slice(ADDED_COMMENT_PREFIX.length).trim());
        if (Number.isSafeInteger(added) && added >= 0) {
          entry.addedAtMs = added;
        }
        continue;
      }
      const directive = parseDirective(line);
      const value = directive?.args.join(' ');
      if (!directive || value === undefined || value === '') {
        continue;
      }
      if (directive.keyword === 'hostname') {
        entry.hostName = value;
      } else if (directive.keyword === 'user') {
        entry.user = value;
      } else if (directive.keyword === 'port') {
        const port = Number(value);
        if (isPortNumber(port)) {
          entry.port = port;
        }
      } else if (directive.keyword === 'localforward') {
        const match = LOCAL_FORWARD.exec(value);
        if (match) {
          const [local, remote] = [Number(match[1]), Number(match[2])];
          if (isPortNumber(local) && isPortNumber(remote)) {
            entry.localPorts.set(remote, local);
          }
        }
      }
    }
    byId.set(id.toLowerCase(), entry);
  }
  return [...byId.values()].map((entry) => ({
    deploymentId: entry.deploymentId,
    alias: entry.alias,
    hostName: entry.hostName,
    user: entry.user,
    port: entry.port,
    localPorts: entry.localPorts,
    addedAtMs: entry.addedAtMs,
  }));
}
