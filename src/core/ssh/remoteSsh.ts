// Pure helpers for opening an instance with Remote-SSH (or a fork of it).
import { ALIAS_PATTERN } from './validate';

/** Remote-SSH and its forks, most common first (Cursor, Windsurf, VSCodium, Antigravity). */
export const REMOTE_SSH_EXTENSION_IDS = [
  'ms-vscode-remote.remote-ssh',
  'anysphere.remote-ssh',
  'codeium.windsurf-remote-openssh',
  'jeanp413.open-remote-ssh',
  'google.antigravity-remote-openssh',
] as const;

function requireAlias(alias: string): string {
  if (!ALIAS_PATTERN.test(alias)) {
    throw new Error(`Not a Spheron host alias: ${JSON.stringify(alias)}.`);
  }
  return alias;
}

/** `ssh-remote+<alias>`: the authority Remote-SSH resolves. */
export function remoteAuthority(alias: string): string {
  return `ssh-remote+${requireAlias(alias)}`;
}

/** The login user's home on a typical Linux image. */
export function defaultRemoteHome(user: string): string {
  return user === 'root' ? '/root' : `/home/${user}`;
}

/** `vscode-remote://ssh-remote+<alias>/<path>`, each path segment percent-encoded. */
export function remoteFolderUri(alias: string, remotePath: string): string {
  const segments = remotePath.split('/').filter((segment) => segment !== '');
  return `vscode-remote://${remoteAuthority(alias)}/${segments.map(encodeURIComponent).join('/')}`;
}

export interface PortLabel {
  readonly port: number;
  readonly label: string;
}

/**
 * Adds `remote.portsAttributes` labels for our ports. A port the user already configured (by its
 * number or a range that covers it) is left exactly as it is.
 */
export function mergePortsAttributes(
  existing: unknown,
  ports: readonly PortLabel[],
): { changed: boolean; value: Record<string, unknown> } {
  if (
    existing !== undefined &&
    existing !== null &&
    (typeof existing !== 'object' || Array.isArray(existing))
  ) {
    return { changed: false, value: {} };
  }
  const value: Record<string, unknown> = { ...((existing ?? {}) as Record<string, unknown>) };
  let changed = false;
  for (const { port, label } of ports) {
    if (Object.keys(value).some((key) => keyCoversPort(key, port))) {
      continue;
    }
    value[String(port)] = { label };
    changed = true;
  }
  return { changed, value };
}

function keyCoversPort(key: string, port: number): boolean {
  const trimmed = key.trim();
  if (/^\d+$/.test(trimmed)) {
    return Number(trimmed) === port;
  }
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(trimmed);
  return range !== null && Number(range[1]) <= port && port <= Number(range[2]);
}

// Error codes and texts of a marketplace that cannot be reached (offline, DNS, proxy, firewall).
const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|offline|XHR failed|Failed to fetch|network/i;

/**
 * Why Remote - SSH could not be installed, in words, never the raw network error: `the extension
 * marketplace (open-vsx.org) cannot be reached from here`. The raw text goes to the log only.
 */
export function remoteSshInstallFailure(error: unknown): {
  readonly message: string;
  readonly logDetail: string;
} {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = (text.split(/\r?\n/, 1)[0] ?? '').trim();
  const host = /ENOTFOUND\s+([a-z0-9.-]+)/i.exec(text)?.[1];
  const reason = UNREACHABLE.test(text)
    ? `the extension marketplace${host ? ` (${host})` : ''} cannot be reached from here`
    : firstLine
      ? `the extension marketplace said “${firstLine}”`
      : 'the install did not finish';
  return {
    message: `Remote - SSH could not be installed: ${reason}. You can work on the instance in an SSH terminal instead, or install Remote - SSH once the marketplace is reachable.`,
    logDetail: `Installing ms-vscode-remote.remote-ssh failed: ${firstLine || 'no reason given'}`,
  };
}
