import * as assert from 'node:assert/strict';
import type { Deployment } from '../../../src/core/domain/types';
import type { ActivityObservation } from '../../../src/core/guard/idleDecision';
import { IdleGuard } from '../../../src/core/guard/idleGuard';
import { setIdleOverride } from '../../../src/core/guard/idleStore';
import {
  KEEP_1H_BUTTON,
  TERMINATE_NOW_BUTTON,
  type IdleWarningChoice,
} from '../../../src/core/guard/idleText';
import { FakeTime, MemoryStore } from '../deploy/fakeTime';
import { settle } from '../model/fakeClock';
import { HOUR, MINUTE, NOW, deployment } from '../model/fixtures';

interface World {
  readonly time: FakeTime;
  readonly store: MemoryStore;
  readonly scheduled: { id: string; atMs: number }[];
  readonly warnings: { id: string; answer: (choice: IdleWarningChoice | undefined) => void }[];
  observations: number;
  activity: Partial<ActivityObservation>;
  setting: number;
  deployments: Deployment[] | undefined;
  /** No SSH host: the guard cannot look at the instance. */
  unobservable?: boolean;
}

function world(): World {
  return {
    time: new FakeTime(NOW),
    store: new MemoryStore(),
    scheduled: [],
    warnings: [],
    observations: 0,
    activity: {},
    setting: 60,
    deployments: [
      deployment({
        id: 'd1',
        name: 'trainer',
        status: 'running',
        startedAtMs: NOW - 3 * HOUR,
        hourlyRate: 2,
      }),
    ],
  };
}

/** One VS Code window's guard over the shared world. */
function guardIn(w: World): IdleGuard {
  const guard = new IdleGuard({
    store: w.store,
    clock: w.time,
    timers: w.time,
    logger: { info: () => undefined, warn: () => undefined },
    deployments: () => w.deployments,
    settingMinutes: () => w.setting,
    observe: () => {
      w.observations += 1;
      if (w.unobservable) {
        return Promise.resolve(undefined);
      }
      return Promise.resolve({
        atMs: w.time.now(),
        sshSessions: 0,
        kernels: [],
        maxGpuUtilization: 0,
        ...w.activity,
      });
    },
    isScheduled: (id) => w.scheduled.some((entry) => entry.id === id),
    schedule: (id, atMs) => {
      w.scheduled.push({ id, atMs });
      return Promise.resolve();
    },
    warn: (d) =>
      new Promise((resolve) => {
        w.warnings.push({ id: d.id, answer: resolve });
      }),
  });
  guard.start();
  return guard;
}

/** Runs what is due now, then `count` minutes, letting each check finish before time moves. */
async function minutes(w: World, count: number): Promise<void> {
  w.time.advance(0);
  await settle();
  for (let i = 0; i < count; i += 1) {
    w.time.advance(MINUTE);
    await settle();
  }
}

describe('guard/IdleGuard (fake time, shared store)', () => {
  it('off by default: no look at the instance at all', async () => {
    const w = world();
    w.setting = 0;
    const guard = guardIn(w);
    await minutes(w, 120);
    assert.equal(w.observations, 0);
    guard.dispose();
  });

  it('warns once across two windows at limit − 10 min, then terminates through the scheduler at the limit', async () => {
    const w = world();
    const windowA = guardIn(w);
    const windowB = guardIn(w);
    await minutes(w, 49);
    assert.equal(w.warnings.length, 0);
    await minutes(w, 1);
    assert.equal(w.warnings.length, 1, 'one warning, not one per window');
    await minutes(w, 9);
    assert.deepEqual(w.scheduled, []);
    await minutes(w, 1);
    assert.ok(w.scheduled.length >= 1);
    assert.deepEqual(w.scheduled[0], { id: 'd1', atMs: NOW + 60 * MINUTE });
    windowA.dispose();
    windowB.dispose();
  });

  it('Keep 1 h more: nothing until the new deadline, and a new warning before it', async () => {
    const w = world();
    const guard = guardIn(w);
    await minutes(w, 50);
    w.warnings[0]?.answer(KEEP_1H_BUTTON);
    await minutes(w, 49);
    assert.equal(w.warnings.length, 1);
    await minutes(w, 1);
    assert.equal(w.warnings.length, 2, 'warned again 10 minutes before the kept hour ends');
    assert.deepEqual(w.scheduled, []);
    guard.dispose();
  });

  it('Terminate now schedules at once (the scheduler waits out a minimum runtime itself)', async () => {
    const w = world();
    const guard = guardIn(w);
    await minutes(w, 50);
    w.warnings[0]?.answer(TERMINATE_NOW_BUTTON);
    await settle();
    assert.deepEqual(w.scheduled, [{ id: 'd1', atMs: NOW + 50 * MINUTE }]);
    guard.dispose();
  });

  it('never terminates while a kernel is busy', async () => {
    const w = world();
    const guard = guardIn(w);
    await minutes(w, 55);
    assert.equal(w.warnings.length, 1);
    w.activity = { kernels: [{ executionState: 'busy', lastActivityMs: undefined }] };
    await minutes(w, 5 * 60);
    assert.deepEqual(w.scheduled, []);
    guard.dispose();
  });

  it('inside the minimum runtime it schedules Terminate When Allowed for when it ends', async () => {
    const w = world();
    w.deployments = [
      deployment({ id: 'd1', name: 'new', status: 'running', startedAtMs: NOW, hourlyRate: 2 }),
    ];
    w.setting = 11;
    await setIdleOverride(w.store, 'd1', 11);
    const guard = guardIn(w);
    await minutes(w, 11);
    assert.deepEqual(w.scheduled, [{ id: 'd1', atMs: NOW + 20 * MINUTE }]);
    guard.dispose();
  });

  it('an instance it cannot look at (no SSH host) is not guarded', async () => {
    const w = world();
    w.unobservable = true;
    const guard = guardIn(w);
    await minutes(w, 5 * 60);
    assert.ok(w.observations > 0);
    assert.equal(w.warnings.length, 0);
    assert.deepEqual(w.scheduled, []);
    assert.equal(guard.decision('d1'), undefined);
    guard.dispose();
  });

  it('a window that has not loaded the instances judges nothing and keeps other windows’ state', async () => {
    const w = world();
    await setIdleOverride(w.store, 'd1', 30);
    w.deployments = undefined;
    const guard = guardIn(w);
    await minutes(w, 90);
    assert.equal(w.observations, 0);
    assert.equal(guard.limitFor('d1'), 30, 'the override survives');
    guard.dispose();
  });

  it('a per-instance limit set in one window applies in every window', async () => {
    const w = world();
    w.setting = 0;
    const guard = guardIn(w);
    await minutes(w, 5);
    assert.equal(w.observations, 0);
    await setIdleOverride(w.store, 'd1', 30);
    // The next check (minute 6) is the first to guard it: idle counts from there.
    await minutes(w, 20);
    assert.equal(w.warnings.length, 0);
    await minutes(w, 1);
    assert.equal(w.warnings.length, 1, 'warned 30 − 10 minutes after the guard first saw it');
    assert.equal(guard.limitFor('d1'), 30);
    guard.dispose();
  });
});
