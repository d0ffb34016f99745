// The narrow file-system surface the SSH layer uses, so tests can inject faults (a failing rename,
// a concurrent edit between read and rename) while still working on real files.
import { constants, promises as fsp } from 'node:fs';

export interface FileInfo {
  readonly mode: number;
  readonly ino: number;
  readonly mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface SshFileSystem {
  readFile(path: string): Promise<Buffer>;
  /** Creates `path` exclusively (fails with EEXIST), writes `data`, fsyncs and closes it. */
  writeNewFile(path: string, data: Buffer, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  stat(path: string): Promise<FileInfo>;
  lstat(path: string): Promise<FileInfo>;
  realpath(path: string): Promise<string>;
  readlink(path: string): Promise<string>;
  /** Recursive; `mode` applies to directories it creates. */
  mkdir(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  /** Names in a directory (for `Include` globs in the user's config). */
  readdir(path: string): Promise<string[]>;
}

export const nodeFileSystem: SshFileSystem = {
  readFile: (path) => fsp.readFile(path),
  async writeNewFile(path, data, mode) {
    const handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  stat: (path) => fsp.stat(path),
  lstat: (path) => fsp.lstat(path),
  realpath: (path) => fsp.realpath(path),
  readlink: (path) => fsp.readlink(path),
  async mkdir(path, mode) {
    await fsp.mkdir(path, { recursive: true, mode });
  },
  chmod: (path, mode) => fsp.chmod(path, mode),
  readdir: (path) => fsp.readdir(path),
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The file's bytes, or `null` when it does not exist. */
export async function readIfExists(fs: SshFileSystem, path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return null;
    }
    throw error;
  }
}

export async function statIfExists(fs: SshFileSystem, path: string): Promise<FileInfo | null> {
  try {
    return await fs.stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return null;
    }
    throw error;
  }
}
