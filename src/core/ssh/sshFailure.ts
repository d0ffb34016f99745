// What a failed ssh connection means, in words, and what to do next. Shared by the SSH terminal,
// Open Jupyter / TensorBoard and Check SSH Setup, so each gives up with the same reason.

import { ActionableError, type ErrorAction } from '../errors/errorPresentation';

const MINUTE_MS = 60_000;

/** An instance started less than this long ago may still be booting: its sshd may not answer yet. */
export const BOOTING_GRACE_MINUTES = 10;

/**
 * ssh's own messages (the last line it writes) and what they mean for a user. Ordered: the first
 * match wins. Plain data (sources, not RegExp objects) so the SSH terminal's wrapper can use it.
 */
export const SSH_FAILURE_REASONS: readonly (readonly [pattern: string, reason: string])[] = [
  ['timed out during banner exchange', 'the host accepted the connection but its SSH server did not answer'],
  ['connection timed out|operation timed out|timed out', 'the host did not answer in time'],
  ['connection refused', 'nothing accepts SSH connections on that port (yet)'],
  ['no route to host|network is unreachable|host is unreachable', 'the address cannot be reached from here'],
  [
    'could not resolve hostname|name or service not known|temporary failure in name resolution',
    'the host name does not resolve',
  ],
  ['permission denied', 'the host refused your SSH key'],
  ['host key verification failed', 'the host key does not match the one pinned for this instance'],
  [
    'connection closed by|connection reset by|kex_exchange_identification',
    'the host closed the connection before login',
  ],
];

/** The last non-empty line of ssh's stderr, without its `ssh: ` prefix. */
export function lastSshLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('debug1:'));
  return (lines[lines.length - 1] ?? '').replace(/^ssh: /, '');
}

/** `the host did not answer in time (ssh: connect to host … port 22: Connection timed out)`. */
export function describeSshFailure(stderr: string): string {
  const line = lastSshLine(stderr);
  const lower = line.toLowerCase();
  for (const [pattern, reason] of SSH_FAILURE_REASONS) {
    if (new RegExp(pattern).test(lower)) {
      return `${reason} (${line})`;
    }
  }
  return line || 'ssh gave up without saying why';
}

/** Whether ssh's text says it never got a session: the connection or login failed. */
export function isSshConnectFailure(text: string): boolean {
  const lower = text.toLowerCase();
  return SSH_FAILURE_REASONS.some(([pattern]) => new RegExp(pattern).test(lower));
}

/** Started (or created, while deploying) less than BOOTING_GRACE_MINUTES ago. */
export function mayStillBeBooting(
  instance: { readonly startedAtMs: number | null; readonly createdAtMs: number | null },
  nowMs: number,
): boolean {
  const since = instance.startedAtMs ?? instance.createdAtMs;
  return since !== null && nowMs - since < BOOTING_GRACE_MINUTES * MINUTE_MS;
}

/** The sentence added while an instance is young. */
export function bootingHint(
  instance: { readonly startedAtMs: number | null; readonly createdAtMs: number | null },
  nowMs: number,
): string | undefined {
  if (!mayStillBeBooting(instance, nowMs)) {
    return undefined;
  }
  const since = instance.startedAtMs ?? instance.createdAtMs ?? nowMs;
  const minutes = Math.max(0, Math.floor((nowMs - since) / MINUTE_MS));
  const age = minutes === 0 ? 'less than a minute ago' : `${minutes} min ago`;
  return `It started ${age} and may still be booting: try again in a minute or two.`;
}

/** `pro6000-dev (203.0.113.11:22) as root`. */
export function sshTarget(target: {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
}): string {
  const address = target.address.includes(':') ? `[${target.address}]` : target.address;
  return `${target.name} (${address}:${target.port}) as ${target.user}`;
}

/** ssh ran but did what we asked only on the instance's side, or not at all: stderr says why. */
export class SshCommandError extends Error {
  constructor(
    /** What was being done: `Could not run a command on the instance over SSH`. */
    readonly what: string,
    readonly stderr: string,
  ) {
    const line = lastSshLine(stderr);
    super(line ? `${what}: ${line}` : `${what}.`);
    this.name = new.target.name;
  }
}

export interface SshGiveUpContext {
  readonly target: {
    readonly name: string;
    readonly address: string;
    readonly port: number;
    readonly user: string;
  };
  readonly instance: { readonly startedAtMs: number | null; readonly createdAtMs: number | null };
  readonly nowMs: number;
  /** The command that failed, run again on the same instance. */
  readonly retry: ErrorAction;
  readonly deploymentId: string;
}

/**
 * An SSH failure that never reached the instance becomes a message with the reason, "may still be
 * booting" while the instance is young, and Retry / Check SSH Setup. Anything else is returned as
 * it was.
 */
export function sshGaveUp(error: unknown, context: SshGiveUpContext): unknown {
  if (!(error instanceof SshCommandError) || !isSshConnectFailure(error.stderr)) {
    return error;
  }
  const message = [
    `${sshTarget(context.target)} did not answer over SSH: ${describeSshFailure(error.stderr)}.`,
    bootingHint(context.instance, context.nowMs),
  ]
    .filter((part): part is string => part !== undefined)
    .join(' ');
  return new ActionableError(message, [
    context.retry,
    { title: 'Check SSH Setup', command: 'spheron.ssh.check', args: [context.deploymentId] },
  ]);
}
