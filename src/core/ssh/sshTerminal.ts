// The SSH terminal: ssh runs under a small Node wrapper in the terminal's own pty, so it stays
// fully interactive (raw mode, resizes), while the wrapper says what it connects to and, when ssh
// gives up (exit 255), why and what to do next. ConnectTimeout makes it give up: without it an
// unreachable host left a blank terminal for good.

import { SSH_FAILURE_REASONS, bootingHint, sshTarget } from './sshFailure';

/** What the wrapper gets as its one argument (JSON). */
export interface SshTerminalSpec {
  readonly ssh: string;
  readonly args: readonly string[];
  /** Printed first: `Connecting to … as root…`. */
  readonly banner: string;
  /** Printed when ssh exits 255; `{reason}` is replaced by what ssh said, in words. */
  readonly failure: string;
  readonly reasons: typeof SSH_FAILURE_REASONS;
}

// Written to a file and run by Node: plain ES2020, no imports but Node's. stderr is piped (and passed on) so the
// wrapper can tell why ssh gave up; stdin and stdout stay the terminal, so ssh gets its tty.
// Ctrl-C belongs to ssh: the wrapper ignores SIGINT and reports ssh's exit.
export const SSH_TERMINAL_WRAPPER = `
'use strict';
process.on('SIGINT', () => {});
const { spawn } = require('child_process');
const spec = JSON.parse(process.argv[process.argv.length - 1]);
const env = Object.assign({}, process.env);
delete env.ELECTRON_RUN_AS_NODE;
process.stdout.write(spec.banner + '\\r\\n');
let tail = '';
let done = false;
function reasonOf(text) {
  const lines = text.split(/\\r?\\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('debug1:'));
  const line = (lines[lines.length - 1] || '').replace(/^ssh: /, '');
  const lower = line.toLowerCase();
  for (const [pattern, reason] of spec.reasons) {
    if (new RegExp(pattern).test(lower)) return reason + ' (' + line + ')';
  }
  return line || 'ssh gave up without saying why';
}
function finish(code, reason) {
  if (done) return;
  done = true;
  const status = code === null || code === undefined ? 1 : code;
  if (status !== 255) process.exit(status);
  const text = spec.failure.replace('{reason}', reason || reasonOf(tail));
  process.stdout.write('\\r\\n' + text.split('\\n').join('\\r\\n') + '\\r\\n');
  if (!process.stdin.isTTY) process.exit(status);
  // In a terminal: keep the explanation on screen until a key is pressed, then close quietly
  // (a non-zero exit would pile VS Code's own "terminated with exit code" alert on top).
  process.stdout.write('\\r\\nPress any key to close this terminal.\\r\\n');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.once('data', () => process.exit(0));
}
const child = spawn(spec.ssh, spec.args, { stdio: ['inherit', 'inherit', 'pipe'], env });
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('error', (error) => finish(255, 'ssh could not start: ' + error.message));
child.on('close', (code, signal) => finish(code === null && signal ? 255 : code));
`;

export interface SshTerminalTarget {
  /** The instance's name. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly alias: string;
  readonly startedAtMs: number | null;
  readonly createdAtMs: number | null;
}

export interface SshTerminalLaunch {
  readonly shellPath: string;
  readonly shellArgs: string[];
  readonly env: Record<string, string>;
  readonly spec: SshTerminalSpec;
}

/**
 * How to start the terminal: `nodePath` (the extension host's own executable; Electron runs it as
 * Node with ELECTRON_RUN_AS_NODE) runs the wrapper at `wrapperPath`, which runs `ssh -F <config>
 * -o ConnectTimeout=N <alias>`.
 */
export function sshTerminalLaunch(options: {
  readonly nodePath: string;
  /** Where SSH_TERMINAL_WRAPPER was written (a file: a `-e` script shows in VS Code's exit alert). */
  readonly wrapperPath: string;
  readonly sshPath: string;
  readonly configPath: string;
  readonly connectTimeoutSeconds: number;
  readonly target: SshTerminalTarget;
  readonly nowMs: number;
}): SshTerminalLaunch {
  const { target } = options;
  const where = sshTarget(target);
  const timeout = Math.max(1, Math.round(options.connectTimeoutSeconds));
  const failure = [
    `Could not connect to ${where}: {reason}.`,
    bootingHint(target, options.nowMs),
    'Next: run "Spheron: Open SSH Terminal" again, or "Spheron: Check SSH Setup" to test the host and your SSH config.',
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
  const spec: SshTerminalSpec = {
    ssh: options.sshPath,
    args: [
      '-F',
      options.configPath,
      '-o',
      `ConnectTimeout=${timeout}`,
      // A session whose host vanished ends instead of hanging (the host block sets these too;
      // a user's own config may not include ours).
      '-o',
      'ServerAliveInterval=15',
      '-o',
      'ServerAliveCountMax=4',
      '--',
      target.alias,
    ],
    banner: `Connecting to ${where}… (gives up after ${timeout} s)`,
    failure,
    reasons: SSH_FAILURE_REASONS,
  };
  return {
    shellPath: options.nodePath,
    shellArgs: [options.wrapperPath, JSON.stringify(spec)],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    spec,
  };
}
