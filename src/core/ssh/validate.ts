// Untrusted API values (names, IPs, users, ports, ids) are checked here before any of them can
// reach an ssh_config line. Anything that fails is not written at all.
import { isIP } from 'node:net';

/** Aliases we generate: `spheron-` then lowercase words of [a-z0-9] joined by single dashes. */
export const ALIAS_PATTERN = /^spheron-[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Deployment ids are 24-hex ObjectIds in practice; accept any short [A-Za-z0-9_-] token. */
const DEPLOYMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * POSIX-style login names. Uppercase is accepted on purpose: some images create such users, ssh
 * passes the name through verbatim and no uppercase letter can change the meaning of a config line.
 * Spaces, quotes, `#`, `=`, `%`, `@`, `;`, a leading `-` and line breaks are all refused.
 */
const SSH_USER = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

export const DEFAULT_SSH_USER = 'ubuntu';
export const DEFAULT_SSH_PORT = 22;
export const MAX_ALIAS_NAME_LENGTH = 40;

export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Lowercase [a-z0-9-], accents folded, runs of anything else collapsed to one dash, trimmed, capped. */
export function sanitizeAliasName(
  name: string | null | undefined,
  maxLength = MAX_ALIAS_NAME_LENGTH,
): string {
  if (typeof name !== 'string') {
    return '';
  }
  // Runs are collapsed to one dash before the trims, so `-+` and `-` there (and `\p{M}+` and
  // `\p{M}` under /g) are equivalent mutants.
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

export function isValidDeploymentId(id: unknown): id is string {
  return typeof id === 'string' && DEPLOYMENT_ID.test(id);
}

/** Last six characters of the id, lowercase. Only call with a valid id. */
export function shortId(id: string): string {
  return id.slice(-6).toLowerCase();
}

export function checkHostAddress(address: unknown): Checked<string> {
  if (address === null || address === undefined || address === '') {
    return { ok: false, reason: 'no IP address reported yet' };
  }
  if (typeof address !== 'string') {
    return { ok: false, reason: 'the IP address is not a string' };
  }
  // isIP accepts IPv6 zone ids (`fe80::1%eth0`), but `%` starts a token in HostName.
  if (isIP(address) === 0 || address.includes('%')) {
    return { ok: false, reason: `${describeUntrusted(address)} is not an IPv4 or IPv6 address` };
  }
  return { ok: true, value: address };
}

export function checkSshUser(user: unknown): Checked<string> {
  if (user === null || user === undefined || user === '') {
    return { ok: true, value: DEFAULT_SSH_USER };
  }
  if (typeof user !== 'string' || !SSH_USER.test(user)) {
    return { ok: false, reason: `${describeUntrusted(user)} is not a valid login name` };
  }
  return { ok: true, value: user };
}

export function checkSshPort(port: unknown): Checked<number> {
  if (port === null || port === undefined) {
    return { ok: true, value: DEFAULT_SSH_PORT };
  }
  if (!isPortNumber(port)) {
    return { ok: false, reason: `${describeUntrusted(port)} is not a port number (1-65535)` };
  }
  return { ok: true, value: port };
}

export function isPortNumber(port: unknown): port is number {
  // `typeof` only narrows the type: Number.isInteger is false for anything but a number.
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** For messages: an untrusted value as a short, single-line, quoted string. */
export function describeUntrusted(value: unknown, maxLength = 60): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
