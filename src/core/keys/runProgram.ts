// ssh-keygen through node's execFile (no shell), in the shape generateLocalKey expects: it
// rejects with the error's `code` and `stderr` so the message can say what went wrong.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ExecFile } from './keygen';

const execFileAsync = promisify(execFile);

export const runKeygenProgram: ExecFile = async (file, args) => {
  const { stdout, stderr } = await execFileAsync(file, [...args], {
    windowsHide: true,
    timeout: 60_000,
    encoding: 'utf8',
  });
  return { stdout, stderr };
};
