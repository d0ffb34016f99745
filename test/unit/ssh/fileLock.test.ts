import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockTimeoutError } from '../../../src/core/ssh/errors';
import { withFileLock } from '../../../src/core/ssh/fileLock';
import { nodeFileSystem } from '../../../src/core/ssh/fileSystem';
import { makeTempHome, type TempHome } from './helpers/tempHome';

describe('ssh/fileLock', () => {
  let t: TempHome;
  let lock: string;
  beforeEach(async () => {
    t = await makeTempHome('spheron-lock-');
    lock = join(t.home, 'config.lock');
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const lockContent = (pid: number, createdAtMs: number) =>
    JSON.stringify({ pid, host: hostname(), createdAtMs, token: 'foreign' }) + '\n';

  it('serialises holders and removes the lock file afterwards', async () => {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        withFileLock(nodeFileSystem, lock, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(n);
          inside--;
        }),
      ),
    );
    assert.equal(maxInside, 1);
    assert.equal(order.length, 5);
    assert.deepEqual(await readdir(t.home), []);
  });

  it('records pid, host and time in the lock file while held', async () => {
    const content = await withFileLock(nodeFileSystem, lock, () => readFile(lock, 'utf8'));
    const parsed = JSON.parse(content) as { pid: number; host: string; createdAtMs: number };
    assert.equal(parsed.pid, process.pid);
    assert.equal(parsed.host, hostname());
    assert.ok(Math.abs(parsed.createdAtMs - Date.now()) < 10_000);
  });

  it('takes over a lock older than the stale limit', async () => {
    await writeFile(lock, lockContent(process.ppid, Date.now() - 20_000));
    const ran = await withFileLock(nodeFileSystem, lock, () => Promise.resolve('ran'), { timeoutMs: 2_000 });
    assert.equal(ran, 'ran');
    assert.deepEqual(await readdir(t.home), []);
  });

  it('takes over a fresh lock whose process is gone', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    assert.ok(dead);
    await writeFile(lock, lockContent(dead, Date.now()));
    const ran = await withFileLock(nodeFileSystem, lock, () => Promise.resolve('ran'), { timeoutMs: 2_000 });
    assert.equal(ran, 'ran');
  });

  it('waits for a live holder and then gives up with a typed error, leaving its lock alone', async () => {
    const held = lockContent(process.ppid, Date.now());
    await writeFile(lock, held);
    await assert.rejects(
      withFileLock(nodeFileSystem, lock, () => Promise.resolve(), { timeoutMs: 150, retryMs: 10 }),
      (error: unknown) => {
        assert.ok(error instanceof LockTimeoutError);
        assert.equal(error.lockFile, lock);
        assert.match(error.message, new RegExp(`pid ${process.ppid}`));
        return true;
      },
    );
    assert.equal(await readFile(lock, 'utf8'), held);
  });

  it('treats an unreadable lock by its age', async () => {
    await writeFile(lock, 'garbage');
    await assert.rejects(
      withFileLock(nodeFileSystem, lock, () => Promise.resolve(), { timeoutMs: 100, retryMs: 10 }),
      LockTimeoutError,
    );
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    assert.equal(await withFileLock(nodeFileSystem, lock, () => Promise.resolve(1)), 1);
  });

  it('does not delete a lock that is no longer its own', async () => {
    await withFileLock(nodeFileSystem, lock, async () => {
      await writeFile(lock, lockContent(process.ppid, Date.now()));
    });
    assert.match(await readFile(lock, 'utf8'), /foreign/);
  });

  it('releases the lock when the work throws', async () => {
    await assert.rejects(
      withFileLock(nodeFileSystem, lock, () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.deepEqual(await readdir(t.home), []);
  });
});
