// Replace a file atomically: write a sibling temp file, then rename it over the target. The temp
// file is removed on any failure. An optional compare-and-swap re-reads the target just before the
// rename and gives up if someone else changed it since we read it.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { errorCode, readIfExists, type SshFileSystem } from './fileSystem';

export class ContentChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed since it was read.`);
    this.name = 'ContentChangedError';
  }
}

export interface AtomicWriteOptions {
  /** Mode for the replacement file (the caller keeps an existing file's mode). */
  readonly mode: number;
  /**
   * Compare-and-swap: the bytes the target must still hold (`null`: must still be missing).
   * `undefined` skips the check.
   */
  readonly expected?: Buffer | null;
  /** Windows: retry the rename while antivirus/indexers hold the file. */
  readonly platform?: NodeJS.Platform;
  /** Total time to keep retrying a Windows rename. */
  readonly renameRetryMs?: number;
}

const WINDOWS_BUSY = new Set(['EPERM', 'EACCES', 'EBUSY']);

export async function writeFileAtomic(
  fs: SshFileSystem,
  target: string,
  data: Buffer,
  options: AtomicWriteOptions,
): Promise<void> {
  const temp = join(
    dirname(target),
    `.${basename(target)}.spheron-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );
  await fs.writeNewFile(temp, data, options.mode);
  try {
    // The process umask may have narrowed the mode given to open().
    await fs.chmod(temp, options.mode);
    if (options.expected !== undefined) {
      const current = await readIfExists(fs, target);
      if (!sameBytes(current, options.expected)) {
        throw new ContentChangedError(target);
      }
    }
    await renameWithRetry(
      fs,
      temp,
      target,
      options.platform ?? process.platform,
      options.renameRetryMs ?? 5000,
    );
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  if (a === null || b === null) {
    return a === b;
  }
  return a.equals(b);
}

async function renameWithRetry(
  fs: SshFileSystem,
  from: string,
  to: string,
  platform: NodeJS.Platform,
  retryMs: number,
): Promise<void> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (
        platform !== 'win32' ||
        code === undefined ||
        !WINDOWS_BUSY.has(code) ||
        Date.now() - started > retryMs
      ) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(50 * attempt, 500)));
    }
  }
}
