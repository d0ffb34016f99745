// An `nvidia-smi` stand-in for the test sshd: prints a recorded output from
// test/fixtures/nvidia-smi (see the README there for where each was recorded) whatever the
// arguments, and exits with the code the real tool uses for that case. Which fixture it prints
// can be changed while sessions run. Put `binDir` first on the sessions' PATH (sshd SetEnv).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NVIDIA_SMI_FIXTURES = join(__dirname, '..', 'fixtures', 'nvidia-smi');

/** nvidia-smi's exit code when it cannot talk to the driver (its man page: 9, driver not loaded). */
export const DRIVER_NOT_LOADED_EXIT = 9;

export interface FakeNvidiaSmi {
  readonly binDir: string;
  /** Prints `fixture` (a file name in test/fixtures/nvidia-smi) from now on. */
  use(fixture: string, exitCode?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function createFakeNvidiaSmi(fixture: string, exitCode = 0): Promise<FakeNvidiaSmi> {
  const binDir = await mkdtemp(join(tmpdir(), 'spheron-nvidia-smi-'));
  const choice = join(binDir, 'fixture');
  const script = join(binDir, 'nvidia-smi');
  await writeFile(script, `#!/bin/sh\nread -r file code < '${choice}'\ncat "$file"\nexit "$code"\n`);
  await chmod(script, 0o755);
  const use = (name: string, code = 0) => writeFile(choice, `${join(NVIDIA_SMI_FIXTURES, name)} ${code}\n`);
  await use(fixture, exitCode);
  return { binDir, use, stop: () => rm(binDir, { recursive: true, force: true }) };
}
