import * as assert from 'node:assert/strict';
import type { CanTerminate, TerminateResult } from '../../../src/core/domain/types';
import { guardedTerminationApi, isStillScheduled } from '../../../src/core/deploy/terminationGuard';
import { DEFAULT_STORAGE_KEY, TerminationScheduler } from '../../../src/core/deploy/terminationScheduler';
import type { TerminationEvent } from '../../../src/core/deploy/terminationScheduler';
import { FakeTime, MemoryStore } from './fakeTime';

const ALLOWED: CanTerminate = {
  canTerminate: true,
  runtimeMinutes: 30,
  minimumRuntimeMinutes: 20,
  timeRemainingMinutes: 0,
  reason: undefined,
};

describe('a schedule withdrawn in another window', () => {
  it('reads whether the shared schedule still lists the instance', () => {
    const store = new MemoryStore();
    assert.equal(isStillScheduled(store, 'd1', DEFAULT_STORAGE_KEY), false);
    void store.update(DEFAULT_STORAGE_KEY, {
      version: 1,
      entries: [{ deploymentId: 'd1', dueAtMs: 0, attempts: 0 }],
    });
    assert.equal(isStillScheduled(store, 'd1', DEFAULT_STORAGE_KEY), true);
    assert.equal(isStillScheduled(store, 'd2', DEFAULT_STORAGE_KEY), false);
    void store.update(DEFAULT_STORAGE_KEY, { entries: 'garbage' });
    assert.equal(isStillScheduled(store, 'd1', DEFAULT_STORAGE_KEY), false);
  });

  it('is not terminated by this window’s timer, and a listed one is', async () => {
    const store = new MemoryStore();
    const time = new FakeTime(1_000_000);
    const deletes: string[] = [];
    const api = {
      canTerminate: () => Promise.resolve(ALLOWED),
      terminateDeployment: (id: string): Promise<TerminateResult> => {
        deletes.push(id);
        return Promise.resolve({ id, alreadyTerminated: false, status: 'terminated', stoppedAtMs: null });
      },
    };
    // This window's scheduler, over the store both windows share.
    const scheduler = new TerminationScheduler({
      api: guardedTerminationApi(api, store),
      store,
      timers: time,
      clock: time,
    });
    const events: TerminationEvent[] = [];
    scheduler.onDidChange((event) => events.push(event));
    await scheduler.schedule('kept', time.now() + 60_000, 'kept');
    await scheduler.schedule('withdrawn', time.now() + 60_000, 'withdrawn');
    // The other window cancels "withdrawn": the shared store no longer lists it.
    const saved = store.get(DEFAULT_STORAGE_KEY) as { version: 1; entries: { deploymentId: string }[] };
    await store.update(DEFAULT_STORAGE_KEY, {
      ...saved,
      entries: saved.entries.filter((entry) => entry.deploymentId !== 'withdrawn'),
    });
    time.advance(61_000);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(deletes, ['kept']);
    assert.ok(events.some((event) => event.type === 'done' && event.deploymentId === 'kept'));
    assert.ok(!events.some((event) => event.type === 'failed'));
    scheduler.dispose();
  });
});
