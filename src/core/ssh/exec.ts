// Running a program without a shell, for `ssh -V` and `ssh -G`. Injectable so unit tests can feed
// canned output; the default runs the real binary.
import { execFile } from 'node:child_process';

export interface ExecResult {
  /** null when the program could not be started or was killed. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started, e.g. `ENOENT` (not installed). */
  readonly spawnError?: string;
}

export type ExecFn = (
  file: string,
  args: readonly string[],
  options?: { timeoutMs?: number },
) => Promise<ExecResult>;

export const execProgram: ExecFn = (file, args, options = {}) =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs ?? 15_000, windowsHide: true, maxBuffer: 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ exitCode: 0, stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === 'string') {
          resolve({ exitCode: null, stdout, stderr, spawnError: code });
          return;
        }
        resolve({ exitCode: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
