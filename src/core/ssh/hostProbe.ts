// Does the host answer? One real `ssh … true` in batch mode with a short ConnectTimeout, through
// the same config Remote-SSH uses: it proves the address, the port, the host key and the login.

import { escapeMarkdown } from '../model/format';
import { execProgram, type ExecFn } from './exec';
import { describeSshFailure } from './sshFailure';

export type HostAnswer =
  | { readonly ok: true; readonly elapsedMs: number }
  | { readonly ok: false; readonly reason: string; readonly elapsedMs: number };

export async function probeSshHost(
  alias: string,
  options: {
    readonly userConfigPath: string;
    readonly connectTimeoutSeconds: number;
    readonly sshPath?: string;
    readonly exec?: ExecFn;
    readonly now?: () => number;
  },
): Promise<HostAnswer> {
  const exec = options.exec ?? execProgram;
  const now = options.now ?? Date.now;
  const timeout = Math.max(1, Math.round(options.connectTimeoutSeconds));
  const started = now();
  const result = await exec(
    options.sshPath ?? 'ssh',
    [
      '-F',
      options.userConfigPath,
      '-o',
      'BatchMode=yes',
      '-o',
      `ConnectTimeout=${timeout}`,
      '--',
      alias,
      'true',
    ],
    // Connect, key exchange and login each get the timeout; the command itself is instant.
    { timeoutMs: (timeout * 2 + 5) * 1000 },
  );
  const elapsedMs = Math.max(0, now() - started);
  if (result.exitCode === 0) {
    return { ok: true, elapsedMs };
  }
  if (result.spawnError) {
    return { ok: false, reason: `ssh could not start (${result.spawnError})`, elapsedMs };
  }
  if (result.exitCode === null) {
    return { ok: false, reason: `no answer within ${timeout * 2 + 5} s`, elapsedMs };
  }
  return { ok: false, reason: describeSshFailure(result.stderr), elapsedMs };
}

/** The report's section on the probe, in Markdown. */
export function renderHostAnswer(
  answer: HostAnswer,
  target: { readonly address: string; readonly port: number; readonly user: string },
  bootingHint: string | undefined,
): string {
  const where = escapeMarkdown(`${target.user}@${target.address} port ${target.port}`);
  const lines = ['## Does the host answer?', ''];
  if (answer.ok) {
    lines.push(`**Yes.** \`ssh\` logged in to ${where} in ${(answer.elapsedMs / 1000).toFixed(1)} s.`);
  } else {
    lines.push(`**No.** \`ssh\` could not log in to ${where}: ${escapeMarkdown(answer.reason)}.`);
    if (bootingHint) {
      lines.push('', bootingHint);
    }
  }
  lines.push('');
  return lines.join('\n');
}
