// Runs the real OpenSSH client to read the effective configuration (`ssh -G`).
import { execFileSync, spawnSync } from 'node:child_process';

export function sshAvailable(): boolean {
  return spawnSync('ssh', ['-V']).status === 0;
}

/** `ssh -G -F <config> -- <host>` as a map of keyword → values; throws with stderr on failure. */
export function sshG(configPath: string, host: string): Map<string, string[]> {
  const result = spawnSync('ssh', ['-G', '-F', configPath, '--', host], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`ssh -G failed (${String(result.status)}): ${result.stderr}`);
  }
  const options = new Map<string, string[]>();
  for (const line of result.stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) {
      const key = line.slice(0, space);
      options.set(key, [...(options.get(key) ?? []), line.slice(space + 1)]);
    }
  }
  return options;
}

export function sshGRaw(configPath: string, host: string): string {
  return execFileSync('ssh', ['-G', '-F', configPath, '--', host], { encoding: 'utf8' });
}

export function first(options: Map<string, string[]>, key: string): string | undefined {
  return options.get(key)?.[0];
}
