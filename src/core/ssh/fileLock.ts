// A cross-process lock for one file: `<file>.lock` created with O_EXCL, holding pid, host, time and
// a random token. A lock older than `staleMs`, or held by a dead process on this host, is taken over.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LockTimeoutError } from './errors';
import { errorCode, readIfExists, type SshFileSystem } from './fileSystem';

export interface FileLockOptions {
  /** A lock at least this old is considered abandoned. */
  readonly staleMs?: number;
  /** Give up (LockTimeoutError) after waiting this long. */
  readonly timeoutMs?: number;
  /** Base delay between attempts; jittered. */
  readonly retryMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether a pid on this host is still running. */
  readonly isProcessAlive?: (pid: number) => boolean;
}

interface LockContent {
  readonly pid: number;
  readonly host: string;
  readonly createdAtMs: number;
  readonly token: string;
}

export const DEFAULT_LOCK_STALE_MS = 10_000;

export async function withFileLock<T>(
  fs: SshFileSystem,
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const token = await acquire(fs, lockPath, options);
  try {
    return await work();
  } finally {
    await release(fs, lockPath, token);
  }
}

async function acquire(fs: SshFileSystem, lockPath: string, options: FileLockOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const timeoutMs = options.timeoutMs ?? staleMs + 5_000;
  const retryMs = options.retryMs ?? 25;
  const isAlive = options.isProcessAlive ?? processIsAlive;
  const started = now();
  let holder: string | undefined;

  for (let attempt = 0; ; attempt++) {
    const content: LockContent = {
      pid: process.pid,
      host: hostname(),
      createdAtMs: now(),
      token: randomBytes(8).toString('hex'),
    };
    try {
      await fs.writeNewFile(lockPath, Buffer.from(JSON.stringify(content) + '\n'), 0o600);
      return content.token;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw error;
      }
    }

    const existingBytes = await readIfExists(fs, lockPath);
    if (existingBytes === null) {
      continue; // released between our attempt and the read
    }
    const existing = parseLock(existingBytes);
    holder = existing ? `pid ${existing.pid} on ${existing.host}` : undefined;
    const abandoned =
      existing === undefined
        ? await unreadableLockIsOld(fs, lockPath, now(), staleMs)
        : now() - existing.createdAtMs >= staleMs ||
          (existing.host === hostname() && existing.pid !== process.pid && !isAlive(existing.pid));
    if (abandoned) {
      await takeOver(fs, lockPath, existingBytes);
      continue;
    }
    if (now() - started >= timeoutMs) {
      throw new LockTimeoutError(lockPath, now() - started, holder);
    }
    await sleep(retryMs + Math.floor(Math.random() * retryMs * Math.min(attempt + 1, 4)));
  }
}

/**
 * Move the abandoned lock aside and delete it, but only if what we moved is the lock we judged
 * abandoned; a fresh lock grabbed by mistake is put back.
 */
async function takeOver(fs: SshFileSystem, lockPath: string, judged: Buffer): Promise<void> {
  const aside = `${lockPath}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      return;
    }
    throw error;
  }
  const moved = await readIfExists(fs, aside);
  if (moved !== null && !moved.equals(judged)) {
    // Someone else took over and created a fresh lock in between: restore it unless yet another
    // lock appeared meanwhile (then the fresh one is lost; its owner's release is a no-op).
    try {
      await fs.writeNewFile(lockPath, moved, 0o600);
    } catch {
      // fall through
    }
  }
  await fs.unlink(aside).catch(() => undefined);
}

async function release(fs: SshFileSystem, lockPath: string, token: string): Promise<void> {
  const bytes = await readIfExists(fs, lockPath).catch(() => null);
  const content = bytes === null ? undefined : parseLock(bytes);
  if (content?.token === token) {
    await fs.unlink(lockPath).catch(() => undefined);
  }
}

async function unreadableLockIsOld(fs: SshFileSystem, lockPath: string, nowMs: number, staleMs: number) {
  try {
    const info = await fs.stat(lockPath);
    return nowMs - info.mtimeMs >= staleMs;
  } catch {
    return false;
  }
}

function parseLock(bytes: Buffer): LockContent | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as LockContent).pid === 'number' &&
      typeof (value as LockContent).host === 'string' &&
      typeof (value as LockContent).createdAtMs === 'number' &&
      typeof (value as LockContent).token === 'string'
    ) {
      return value as LockContent;
    }
  } catch {
    // half-written or foreign content
  }
  return undefined;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}
