// "Check SSH Setup": ask ssh itself (`ssh -G -F <user config> <alias>`) which values win for one of
// our hosts, and explain every difference from what we wrote: which line of the user's config is
// read first, and what to change.
import { homedir } from 'node:os';
import SSHConfig from 'ssh-config';
import { parseDirective, viewConfigText, hostPatternsMatch, type ConfigTextView } from './configText';
import { execProgram, type ExecFn } from './exec';
import { nodeFileSystem, readIfExists, type SshFileSystem } from './fileSystem';
import { defaultOurConfigPath } from './paths';
import { formatVersion, parseSshVersion, supportsAcceptNew, type OpenSshVersion } from './sshVersion';
import { includeBlockText, locateInclude, type IncludeStatus, type LineRef } from './userConfig';
import { MalformedMarkersError } from './errors';
import type { AliasConflict } from './hostBlocks';

/** The options we write, as `ssh -G` reports them (lowercase keywords). */
export const CHECKED_OPTIONS = [
  'hostname',
  'user',
  'port',
  'identityfile',
  'identitiesonly',
  'hostkeyalias',
  'userknownhostsfile',
  'stricthostkeychecking',
  'checkhostip',
  'serveraliveinterval',
  'localforward',
] as const;
export type CheckedOption = (typeof CHECKED_OPTIONS)[number];

/** Expected values, unquoted, as written in our file. `localforward` lists `127.0.0.1:L localhost:R`. */
export type ExpectedHostOptions = Partial<Record<Exclude<CheckedOption, 'localforward'>, string>> & {
  readonly localforward?: readonly string[];
};

export interface OptionSource {
  readonly file: string;
  readonly line: LineRef;
  /** The Host/Match line the setting sits under, if any. */
  readonly section: LineRef | undefined;
  /** `may-apply`: under a Match whose criteria cannot be evaluated from the text. */
  readonly certainty: 'applies' | 'may-apply';
}

export interface OptionCheck {
  readonly option: CheckedOption;
  readonly expected: string;
  /** All values ssh reported for the option (several for identityfile/localforward). */
  readonly actual: readonly string[];
  readonly ok: boolean;
  /** For a value that does not take effect: the earliest line in the user's config that sets it. */
  readonly source?: OptionSource;
}

export type SshSetupProblemKind =
  | 'ssh-missing'
  | 'ssh-too-old'
  | 'ssh-failed'
  | 'markers'
  | 'include-missing'
  | 'include-not-at-top'
  | 'include-inside-section'
  | 'host-unknown'
  | 'host-not-applied'
  | 'option-overridden'
  | 'bom'
  | 'user-lines-in-block'
  | 'alias-renamed';

export interface SshSetupProblem {
  readonly kind: SshSetupProblemKind;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** What to change, in words a user can follow. */
  readonly advice: string;
  readonly option?: CheckedOption;
  readonly file?: string;
  readonly line?: number;
}

export interface SshSetupReport {
  readonly alias: string;
  /** No error-severity problem. */
  readonly ok: boolean;
  readonly sshVersion: OpenSshVersion | undefined;
  readonly include: IncludeStatus | undefined;
  readonly options: readonly OptionCheck[];
  readonly problems: readonly SshSetupProblem[];
}

export interface CheckSshSetupOptions {
  /** The file Remote-SSH uses (`remote.SSH.configFile` or ~/.ssh/config); passed to ssh with -F. */
  readonly userConfigPath: string;
  /** Default `~/.ssh/spheron/config`. */
  readonly ourConfigPath?: string;
  /** Default: the OS home directory. */
  readonly homeDir?: string;
  /** What we wrote for the alias; read from our file when omitted. */
  readonly expected?: ExpectedHostOptions;
  readonly exec?: ExecFn;
  /** `remote.SSH.path`, default `ssh`. */
  readonly sshPath?: string;
  readonly fs?: SshFileSystem;
  /** Aliases the last sync could not give because the user's config has a host by that name. */
  readonly aliasConflicts?: readonly AliasConflict[];
}

export async function checkSshSetup(alias: string, options: CheckSshSetupOptions): Promise<SshSetupReport> {
  const exec = options.exec ?? execProgram;
  const fs = options.fs ?? nodeFileSystem;
  const ssh = options.sshPath ?? 'ssh';
  const file = options.userConfigPath;
  const homeDir = options.homeDir ?? homedir();
  const ourConfigPath = options.ourConfigPath ?? defaultOurConfigPath(homeDir);
  const problems: SshSetupProblem[] = [];
  const report = (
    sshVersion: OpenSshVersion | undefined,
    include: IncludeStatus | undefined,
    checks: readonly OptionCheck[],
  ): SshSetupReport => ({
    alias,
    ok: !problems.some((problem) => problem.severity === 'error'),
    sshVersion,
    include,
    options: checks,
    problems,
  });

  // 1. Is ssh there, and new enough?
  const versionRun = await exec(ssh, ['-V'], { timeoutMs: 10_000 });
  if (versionRun.spawnError !== undefined) {
    problems.push({
      kind: 'ssh-missing',
      severity: 'error',
      message: `The ssh client could not be started (${ssh}: ${versionRun.spawnError}).`,
      advice:
        'Install an OpenSSH client (Windows: Settings › Optional features › OpenSSH Client; Debian/Ubuntu: ' +
        'apt install openssh-client), or point remote.SSH.path at it.',
    });
    return report(undefined, undefined, []);
  }
  const sshVersion = parseSshVersion(`${versionRun.stderr}\n${versionRun.stdout}`);
  if (sshVersion && !supportsAcceptNew(sshVersion)) {
    problems.push({
      kind: 'ssh-too-old',
      severity: 'error',
      message: `OpenSSH ${formatVersion(sshVersion)} is older than 7.6 and does not understand "StrictHostKeyChecking accept-new".`,
      advice: 'Update the OpenSSH client to 7.6 or newer, then sync again.',
    });
  }

  // 2. The user's config: our Include, its place, a BOM.
  const userBytes = await readIfExists(fs, file);
  const view = userBytes === null ? undefined : viewConfigText(userBytes);
  let include: IncludeStatus | undefined;
  try {
    include = locateInclude(userBytes, {
      file,
      ourConfigPath: ourConfigPath,
      homeDir: homeDir,
    });
  } catch (error) {
    if (!(error instanceof MalformedMarkersError)) {
      throw error;
    }
    problems.push({
      kind: 'markers',
      severity: 'error',
      message: error.message,
      advice: 'Repair the marker lines as described, then sync again.',
      file,
      line: error.beginLines[0] ?? error.endLines[0],
    });
  }
  if (view?.hasBom) {
    problems.push({
      kind: 'bom',
      severity: 'error',
      message: `${file} starts with a UTF-8 byte order mark; OpenSSH reads it as part of the first keyword and rejects the file.`,
      advice: `Save ${file} as UTF-8 without BOM (VS Code: click "UTF-8 with BOM" in the status bar › Save with Encoding › UTF-8).`,
      file,
      line: 1,
    });
  }
  if (include?.state === 'missing') {
    problems.push({
      kind: 'include-missing',
      severity: 'error',
      message: `${file} does not include the Spheron hosts file (${ourConfigPath}).`,
      advice: `Run the sync again, or add these lines at the top of ${file}:\n${includeBlockText(ourConfigPath)}`,
      file,
    });
  } else if (include?.state === 'not-at-top') {
    const { location } = include;
    const section = location.enclosingSection;
    const first = location.directivesAbove[0];
    if (section && !sectionApplies(section.text, alias)) {
      problems.push({
        kind: 'include-inside-section',
        severity: 'error',
        message:
          `The Spheron block at line ${location.firstLine} of ${file} sits under "${section.text.trim()}" (line ${section.number}), ` +
          'so ssh only reads the Spheron hosts when that line matches.',
        advice: `Move the Spheron block (lines ${location.firstLine}-${location.lastLine}) to the top of ${file}, or put a line "Match all" directly above it.`,
        file,
        line: location.firstLine,
      });
    } else if (first) {
      problems.push({
        kind: 'include-not-at-top',
        severity: 'warning',
        message:
          `The Spheron block at line ${location.firstLine} of ${file} is not at the top: ${location.directivesAbove.length} ` +
          `setting(s) above it (first at line ${first.number}) are read first and win over Spheron values.`,
        advice: `Move the Spheron block (lines ${location.firstLine}-${location.lastLine}) to the top of ${file}.`,
        file,
        line: location.firstLine,
      });
    }
  }

  if (include && include.state !== 'missing' && include.location.userLines.length > 0) {
    const { location } = include;
    problems.push({
      kind: 'user-lines-in-block',
      severity: 'warning',
      message:
        `Lines ${location.userLines.map((line) => line.number).join(', ')} of ${file} sit between the Spheron markers ` +
        `(lines ${location.firstLine}-${location.lastLine}). They are kept, but "Remove SSH Entries" leaves them where they are.`,
      advice: `Move them out of the Spheron block if they belong to your own settings.`,
      file,
      line: location.userLines[0]?.number,
    });
  }
  for (const conflict of options.aliasConflicts ?? []) {
    problems.push({
      kind: 'alias-renamed',
      severity: 'warning',
      message:
        `Your ${conflict.userLine.file ?? file} already has "${conflict.userLine.text.trim()}" (line ${conflict.userLine.number}), so the ` +
        `instance ${conflict.deploymentId} is ${conflict.alias} instead of ${conflict.wanted}: your host stays yours.`,
      advice: `Use ${conflict.alias} for the instance, or rename your own host to free ${conflict.wanted}.`,
      file: conflict.userLine.file ?? file,
      line: conflict.userLine.number,
    });
  }

  // 3. What we expect for this alias.
  let expected = options.expected;
  if (expected === undefined) {
    const ours = await readIfExists(fs, ourConfigPath);
    expected = ours === null ? undefined : expectedOptionsFromConfigText(ours.toString('utf8'), alias);
  }
  if (expected === undefined) {
    problems.push({
      kind: 'host-unknown',
      severity: 'error',
      message: `There is no Spheron host named ${alias} in ${ourConfigPath}.`,
      advice:
        'Refresh the instance list so the hosts file is regenerated; only running instances get a host.',
    });
    return report(sshVersion, include, []);
  }

  // 4. What ssh actually uses.
  const resolved = await exec(ssh, ['-G', '-F', file, '--', alias], { timeoutMs: 15_000 });
  if (resolved.exitCode !== 0) {
    problems.push({
      kind: 'ssh-failed',
      severity: 'error',
      message: `ssh could not read the configuration: ${firstLines(resolved.stderr || resolved.spawnError || 'no output')}`,
      advice: `Fix the line ssh names in ${file} (or a file it includes), then run the check again.`,
      file,
    });
    return report(sshVersion, include, []);
  }
  const effective = parseSshG(resolved.stdout);
  const checks = compareOptions(expected, effective);
  const hostName = effective.get('hostname')?.[0];
  if (expected.hostname !== undefined && hostName?.toLowerCase() === alias.toLowerCase()) {
    problems.push({
      kind: 'host-not-applied',
      severity: 'error',
      message: `ssh does not see the Spheron settings for ${alias}: it would try to resolve "${alias}" as a host name.`,
      advice:
        include?.state === 'missing'
          ? `Add the Include block at the top of ${file} (see above).`
          : `Make sure ${file} includes ${ourConfigPath} before any Host or Match line.`,
      file,
    });
    return report(sshVersion, include, checks);
  }

  const includeLine = include && include.state !== 'missing' ? include.location.firstLine : undefined;
  const withSources = checks.map((check): OptionCheck => {
    if (check.ok || !view) {
      return check;
    }
    const source = findSetter(view, file, check.option, alias, includeLine, check.actual);
    return source ? { ...check, source } : check;
  });
  for (const check of withSources) {
    if (!check.ok) {
      problems.push(overrideProblem(check, file, include));
    }
  }
  return report(sshVersion, include, withSources);
}

/** Our values for `alias`, computed from our file with `ssh-config`. */
export function expectedOptionsFromConfigText(text: string, alias: string): ExpectedHostOptions | undefined {
  let computed: Record<string, string | string[]>;
  try {
    computed = SSHConfig.parse(text).compute(alias, { ignoreCase: true, matchExec: false });
  } catch {
    return undefined;
  }
  const first = (key: string): string | undefined => {
    const value = computed[key];
    return Array.isArray(value) ? value[0] : value;
  };
  if (first('hostname') === undefined) {
    return undefined;
  }
  const forwards = computed.localforward;
  const result: Record<string, string | readonly string[] | undefined> = {
    localforward: forwards === undefined ? [] : Array.isArray(forwards) ? forwards : [forwards],
  };
  for (const option of CHECKED_OPTIONS) {
    if (option !== 'localforward') {
      result[option] = first(option);
    }
  }
  return result;
}

/** `ssh -G` output: one `keyword value` per line; repeated keywords accumulate. */
export function parseSshG(output: string): Map<string, string[]> {
  const options = new Map<string, string[]>();
  for (const line of output.split(/\r?\n/)) {
    const space = line.indexOf(' ');
    if (space <= 0) {
      continue;
    }
    const keyword = line.slice(0, space).toLowerCase();
    const values = options.get(keyword) ?? [];
    values.push(line.slice(space + 1));
    options.set(keyword, values);
  }
  return options;
}

const SSH_G_BOOLEANS: Readonly<Record<string, string>> = { yes: 'true', no: 'false' };
const SSH_G_DISPLAY: Readonly<Record<string, string>> = { true: 'yes', false: 'no' };

function compareOptions(
  expected: ExpectedHostOptions,
  effective: ReadonlyMap<string, string[]>,
): OptionCheck[] {
  const checks: OptionCheck[] = [];
  for (const option of CHECKED_OPTIONS) {
    const actual = effective.get(option) ?? [];
    if (option === 'localforward') {
      const present = new Set(actual.map(normaliseForward));
      for (const forward of expected.localforward ?? []) {
        checks.push({ option, expected: forward, actual, ok: present.has(normaliseForward(forward)) });
      }
      continue;
    }
    const wanted = expected[option];
    if (wanted === undefined) {
      continue;
    }
    checks.push({ option, expected: wanted, actual, ok: optionMatches(option, wanted, actual) });
  }
  return checks;
}

function optionMatches(option: CheckedOption, wanted: string, actual: readonly string[]): boolean {
  const [first] = actual;
  switch (option) {
    case 'identityfile':
      // Cumulative: ours takes effect when it is in the list.
      return actual.includes(wanted);
    case 'userknownhostsfile': {
      const expanded = wanted.replace(/%%/g, '%');
      return first !== undefined && (first === expanded || first.startsWith(`${expanded} `));
    }
    case 'stricthostkeychecking':
      return first === (SSH_G_BOOLEANS[wanted.toLowerCase()] ?? wanted.toLowerCase());
    case 'hostname':
    case 'hostkeyalias':
      return first?.toLowerCase() === wanted.toLowerCase();
    case 'identitiesonly':
    case 'checkhostip':
      return first?.toLowerCase() === wanted.toLowerCase();
    case 'user':
    case 'port':
    case 'serveraliveinterval':
    case 'localforward':
      return first === wanted;
  }
}

/** `[127.0.0.1]:8888 [localhost]:8888` and `127.0.0.1:8888 localhost:8888` compare equal. */
function normaliseForward(value: string): string {
  return value.replace(/[[\]]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The earliest line of the user's config, read before our Include, that sets `option` for `alias`.
 * A text scan: global lines, `Host` lines matched like ssh does, `Match all`/`host`/`originalhost`;
 * other Match criteria count as "may apply".
 */
function findSetter(
  view: ConfigTextView,
  file: string,
  option: CheckedOption,
  alias: string,
  beforeLine: number | undefined,
  actual: readonly string[],
): OptionSource | undefined {
  let section: { ref: LineRef; applies: 'yes' | 'no' | 'maybe' } | undefined;
  const found: OptionSource[] = [];
  for (const line of view.lines) {
    if (beforeLine !== undefined && line.number >= beforeLine) {
      break;
    }
    const directive = parseDirective(line.text);
    if (!directive) {
      continue;
    }
    if (directive.keyword === 'host') {
      section = { ref: ref(line), applies: hostPatternsMatch(directive.args, alias) ? 'yes' : 'no' };
      continue;
    }
    if (directive.keyword === 'match') {
      section = { ref: ref(line), applies: matchApplies(directive.args, alias) };
      continue;
    }
    if (directive.keyword !== option || section?.applies === 'no') {
      continue;
    }
    found.push({
      file,
      line: ref(line),
      section: section?.ref,
      certainty: section?.applies === 'maybe' ? 'may-apply' : 'applies',
    });
  }
  // Prefer the line whose value is the one ssh reports.
  const value = (source: OptionSource) => parseDirective(source.line.text)?.args.join(' ').toLowerCase();
  const reported = actual.map((entry) => entry.toLowerCase());
  return found.find((source) => reported.includes(value(source) ?? '')) ?? found[0];
}

function matchApplies(args: readonly string[], alias: string): 'yes' | 'no' | 'maybe' {
  let result: 'yes' | 'maybe' = 'yes';
  for (let index = 0; index < args.length; index++) {
    const raw = (args[index] ?? '').toLowerCase();
    const negated = raw.startsWith('!');
    const criterion = negated ? raw.slice(1) : raw;
    if (criterion === 'all') {
      continue;
    }
    if (criterion === 'host' || criterion === 'originalhost') {
      const patterns = args[index + 1] ?? '';
      index++;
      const matches = hostPatternsMatch([patterns], alias);
      if (matches === negated) {
        return 'no';
      }
      continue;
    }
    // exec, user, localuser, canonical, final, tagged, localnetwork, …: cannot tell from the text.
    if (!['canonical', 'final'].includes(criterion)) {
      index++;
    }
    result = 'maybe';
  }
  return result;
}

/** Whether a Host/Match line certainly applies to `alias` (e.g. `Host *`, `Match all`). */
function sectionApplies(lineText: string, alias: string): boolean {
  const directive = parseDirective(lineText);
  if (directive?.keyword === 'host') {
    return hostPatternsMatch(directive.args, alias);
  }
  return directive?.keyword === 'match' && matchApplies(directive.args, alias) === 'yes';
}

function ref(line: { number: number; text: string }): LineRef {
  return { number: line.number, text: line.text };
}

const KEYWORD_NAMES: Readonly<Record<CheckedOption, string>> = {
  hostname: 'HostName',
  user: 'User',
  port: 'Port',
  identityfile: 'IdentityFile',
  identitiesonly: 'IdentitiesOnly',
  hostkeyalias: 'HostKeyAlias',
  userknownhostsfile: 'UserKnownHostsFile',
  stricthostkeychecking: 'StrictHostKeyChecking',
  checkhostip: 'CheckHostIP',
  serveraliveinterval: 'ServerAliveInterval',
  localforward: 'LocalForward',
};

function overrideProblem(
  check: OptionCheck,
  file: string,
  include: IncludeStatus | undefined,
): SshSetupProblem {
  const keyword = KEYWORD_NAMES[check.option];
  const display = (value: string) =>
    check.option === 'stricthostkeychecking' ? (SSH_G_DISPLAY[value] ?? value) : value;
  const shown = check.actual.length === 0 ? 'nothing' : `"${check.actual.map(display).join(', ')}"`;
  const base = `${keyword} is ${shown} for this host, not "${check.expected}".`;
  const block =
    include && include.state !== 'missing'
      ? `the Spheron block (lines ${include.location.firstLine}-${include.location.lastLine})`
      : 'the Spheron Include block';
  const source = check.source;
  if (!source) {
    return {
      kind: 'option-overridden',
      severity: 'error',
      option: check.option,
      message: `${base} It is set before the Spheron hosts are read, but not in a line of ${file} itself (an included file?).`,
      advice: `Look for ${keyword} in files included near the top of ${file}, and move ${block} above those Include lines.`,
      file,
    };
  }
  const where = source.section
    ? `line ${source.line.number} ("${source.line.text.trim()}") in the "${source.section.text.trim()}" block at line ${source.section.number}`
    : `line ${source.line.number} ("${source.line.text.trim()}") for every host`;
  const exclude =
    source.section && /^\s*host\b/i.test(source.section.text)
      ? `, or exclude Spheron hosts there by changing line ${source.section.number} to "${source.section.text.trim()} !spheron-*"`
      : '';
  return {
    kind: 'option-overridden',
    severity: 'error',
    option: check.option,
    message: `${base} ${file} sets it at ${where}${source.certainty === 'may-apply' ? ' (if that Match applies)' : ''}. ssh reads that line first and keeps the first value it sees.`,
    advice: `Move ${block} to the very top of ${file}${exclude}.`,
    file,
    line: source.line.number,
  };
}

function firstLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(0, 3).join(' ');
}
