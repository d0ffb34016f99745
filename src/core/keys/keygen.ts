// Creating a key pair with the user's own ssh-keygen. The plan never points at an existing file:
// ssh-keygen would ask to overwrite, and losing a private key locks the user out of machines.
import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readLocalPublicKey, sshDirectory } from './localKeys';
import type { LocalPublicKey } from './localKeys';

export const KEY_COMMENT = 'spheron-vscode';
const KEY_BASE_NAMES = ['id_ed25519', 'id_ed25519_spheron'];
/** id_ed25519_spheron_2 … _9 when the first two are taken. */
const MAX_NUMBERED_SUFFIX = 9;

export interface KeyGenerationPlan {
  readonly keyPath: string;
  readonly publicKeyPath: string;
  readonly file: 'ssh-keygen';
  readonly args: readonly string[];
  /** The command as the user can read (and copy) it. */
  readonly displayCommand: string;
}

export class KeyGenerationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyGenerationError';
  }
}

/** Resolves true when anything (file, directory, link) exists at the path. */
export type PathExists = (filePath: string) => Promise<boolean>;

export const pathExists: PathExists = async (filePath) => {
  try {
    await lstat(filePath);
    return true;
  } catch {
    return false;
  }
};

/** Quotes an argument so the shown command can be pasted into sh, PowerShell or cmd. */
function quoteForDisplay(value: string): string {
  if (/^[A-Za-z0-9_.,:/\\@%+=-]+$/.test(value)) {
    return value;
  }
  return `"${value.replace(/(["$`])/g, '\\$1')}"`;
}

function candidateNames(): string[] {
  const numbered = Array.from({ length: MAX_NUMBERED_SUFFIX - 1 }, (_, i) => `id_ed25519_spheron_${i + 2}`);
  return [...KEY_BASE_NAMES, ...numbered];
}

/**
 * The first free key name in `<home>/.ssh`: `id_ed25519`, else `id_ed25519_spheron`, else
 * `id_ed25519_spheron_2` …. A name is free when neither the key nor its `.pub` exists.
 */
export async function planKeyGeneration(
  home: string,
  exists: PathExists = pathExists,
): Promise<KeyGenerationPlan> {
  const directory = sshDirectory(home);
  for (const name of candidateNames()) {
    const keyPath = path.join(directory, name);
    const publicKeyPath = `${keyPath}.pub`;
    if (!(await exists(keyPath)) && !(await exists(publicKeyPath))) {
      const args = ['-t', 'ed25519', '-f', keyPath, '-N', '', '-C', KEY_COMMENT];
      return {
        keyPath,
        publicKeyPath,
        file: 'ssh-keygen',
        args,
        displayCommand: ['ssh-keygen', ...args].map(quoteForDisplay).join(' '),
      };
    }
  }
  throw new KeyGenerationError(`Every key name this extension would use already exists in ${directory}.`);
}

export type ExecFile = (
  file: string,
  args: readonly string[],
) => Promise<{ readonly stdout: string; readonly stderr: string }>;

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Runs the plan (re-checked just before running) and returns the new key. `~/.ssh` is created
 * with mode 0700 when missing.
 */
export async function generateLocalKey(options: {
  readonly home: string;
  readonly execFile: ExecFile;
  readonly exists?: PathExists;
}): Promise<LocalPublicKey> {
  const exists = options.exists ?? pathExists;
  await mkdir(sshDirectory(options.home), { recursive: true, mode: 0o700 });
  const plan = await planKeyGeneration(options.home, exists);
  try {
    await options.execFile(plan.file, plan.args);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new KeyGenerationError('ssh-keygen was not found. Install the OpenSSH client and try again.');
    }
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr).trim() : '';
    throw new KeyGenerationError(`ssh-keygen failed${stderr ? `: ${stderr.split(/\r?\n/)[0]}` : '.'}`);
  }
  const key = await readLocalPublicKey(plan.publicKeyPath);
  if (!key) {
    throw new KeyGenerationError(
      `ssh-keygen finished but ${plan.publicKeyPath} is not a readable public key.`,
    );
  }
  return key;
}
