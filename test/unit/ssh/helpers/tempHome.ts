// A throwaway home directory per test: nothing here ever touches the real ~/.ssh.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshDeploymentInput } from '../../../../src/core/ssh/hostBlocks';

export interface TempHome {
  readonly home: string;
  readonly sshDir: string;
  readonly userConfig: string;
  readonly ourConfig: string;
  readonly knownHosts: string;
  cleanup(): Promise<void>;
}

export async function makeTempHome(prefix = 'spheron-ssh-'): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  const sshDir = join(home, '.ssh');
  return {
    home,
    sshDir,
    userConfig: join(sshDir, 'config'),
    ourConfig: join(sshDir, 'spheron', 'config'),
    knownHosts: join(sshDir, 'spheron', 'known_hosts'),
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

let counter = 0;

/** A running deployment with sane values; override what the test is about. */
export function runningDeployment(overrides: Partial<SshDeploymentInput> = {}): SshDeploymentInput {
  counter++;
  return {
    id: `6a0123456789abcdef${String(counter).padStart(6, '0')}`,
    name: `box-${counter}`,
    status: 'running',
    ipAddress: `198.51.100.${(counter % 250) + 1}`,
    sshUser: 'ubuntu',
    sshPort: 22,
    createdAtMs: 1_700_000_000_000 + counter,
    ...overrides,
  };
}
