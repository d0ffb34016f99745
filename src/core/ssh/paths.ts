// Where our files live and how a path is written into ssh_config safely.
import { isAbsolute, join } from 'node:path';
import { InvalidSshSettingError } from './errors';

export interface SshPaths {
  /** The config file Remote-SSH reads: `remote.SSH.configFile`, else `~/.ssh/config`. */
  readonly userConfigPath: string;
  /** The file we own and regenerate, pulled in by one Include line. */
  readonly ourConfigPath: string;
  /** Our private known_hosts, keyed by `HostKeyAlias spheron-<id>`. */
  readonly knownHostsPath: string;
}

export function defaultUserConfigPath(homeDir: string): string {
  return join(homeDir, '.ssh', 'config');
}

export function defaultOurConfigPath(homeDir: string): string {
  return join(homeDir, '.ssh', 'spheron', 'config');
}

export function defaultKnownHostsPath(homeDir: string): string {
  return join(homeDir, '.ssh', 'spheron', 'known_hosts');
}

/** `~` and `~/x` (also `~\x`) become absolute paths under `homeDir`; other paths are left as they are. */
export function expandHome(path: string, homeDir: string): string {
  if (path === '~') {
    return homeDir;
  }
  if (path.startsWith('~/') || path.startsWith('~\\')) {
    return join(homeDir, path.slice(2));
  }
  return path;
}

/** Forward slashes: Windows OpenSSH and Remote-SSH both accept them; backslashes get mangled. */
export function toForwardSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

const SAFE_UNQUOTED = /^[A-Za-z0-9/._~:@+-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface SshPathValueOptions {
  /** Name of the setting, for error messages. */
  readonly setting: string;
  /** The keyword expands `%` tokens (IdentityFile, UserKnownHostsFile): write `%` as `%%`. */
  readonly expandsTokens: boolean;
  /** The keyword globs (Include): refuse `*`, `?`, `[`. */
  readonly globs: boolean;
}

/**
 * An absolute path as an ssh_config argument: forward slashes, quoted unless plainly safe,
 * `%` escaped where ssh expands tokens. Throws InvalidSshSettingError for what cannot be written.
 */
export function sshPathValue(path: string, options: SshPathValueOptions): string {
  const slashed = toForwardSlashes(path);
  const fail = (reason: string) => new InvalidSshSettingError(options.setting, path, reason);
  if (slashed.length === 0) {
    throw fail('the path is empty');
  }
  if (!isAbsolute(path) && !/^[A-Za-z]:\//.test(slashed)) {
    throw fail('the path must be absolute (or start with ~)');
  }
  if (CONTROL.test(slashed)) {
    throw fail('it contains a line break or control character');
  }
  if (slashed.includes('"')) {
    throw fail('ssh_config cannot quote a path that contains a double quote');
  }
  if (slashed.includes('${')) {
    throw fail('ssh would expand "${…}" as an environment variable');
  }
  if (options.globs && /[*?[\]]/.test(slashed)) {
    throw fail('ssh would treat *, ? or [ as a wildcard');
  }
  const escaped = options.expandsTokens ? slashed.replace(/%/g, '%%') : slashed;
  return SAFE_UNQUOTED.test(escaped) ? escaped : `"${escaped}"`;
}
