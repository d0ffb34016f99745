import * as assert from 'node:assert/strict';
import {
  activityOf,
  decideIdle,
  effectiveLimitMinutes,
  idleTooltipLine,
  keepFor,
  recordActivity,
  type ActivityObservation,
  type IdleDecisionInput,
  type IdleRecord,
} from '../../../src/core/guard/idleDecision';
import {
  claimWarning,
  readIdleState,
  setIdleOverride,
  updateIdleRecord,
} from '../../../src/core/guard/idleStore';
import { idleWarningMessage } from '../../../src/core/guard/idleText';
import { MemoryStore } from '../deploy/fakeTime';
import { HOUR, MINUTE, NOW, deployment } from '../model/fixtures';

const LIMIT = 60;
const START = NOW - 2 * HOUR;

function observe(partial: Partial<ActivityObservation> = {}): ActivityObservation {
  return { atMs: NOW, sshSessions: 0, kernels: [], maxGpuUtilization: 0, ...partial };
}

function input(overrides: Partial<IdleDecisionInput> & { record: IdleRecord }): IdleDecisionInput {
  return {
    nowMs: NOW,
    limitMinutes: LIMIT,
    activity: activityOf(observe()),
    terminableAtMs: START + 20 * MINUTE,
    alreadyScheduled: false,
    ...overrides,
  };
}

const idleSince = (ms: number, extra: Partial<IdleRecord> = {}): IdleRecord => ({
  deploymentId: 'd1',
  lastActiveAtMs: ms,
  ...extra,
});

describe('guard/idleDecision', () => {
  describe('signals', () => {
    it('nothing observed in use: idle', () => {
      const activity = activityOf(observe());
      assert.equal(activity.inUse, false);
      assert.equal(activity.lastActiveAtMs, undefined);
    });

    it('an open SSH session is in use', () => {
      const activity = activityOf(observe({ sshSessions: 2 }));
      assert.deepEqual(activity.reasons, ['2 SSH sessions']);
      assert.equal(activity.lastActiveAtMs, NOW);
    });

    it('a busy kernel is in use and flagged as busy', () => {
      const activity = activityOf(
        observe({ kernels: [{ executionState: 'busy', lastActivityMs: NOW - HOUR }] }),
      );
      assert.equal(activity.inUse, true);
      assert.equal(activity.busyKernel, true);
    });

    it("an idle kernel's last_activity counts as the last activity, capped at now", () => {
      const recent = activityOf(
        observe({ kernels: [{ executionState: 'idle', lastActivityMs: NOW - 5 * MINUTE }] }),
      );
      assert.equal(recent.inUse, false);
      assert.equal(recent.lastActiveAtMs, NOW - 5 * MINUTE);
      const future = activityOf(
        observe({ kernels: [{ executionState: 'idle', lastActivityMs: NOW + HOUR }] }),
      );
      assert.equal(future.lastActiveAtMs, NOW);
    });

    it('GPU above 5 % is in use; 5 % and MIG (unknown) are not', () => {
      assert.equal(activityOf(observe({ maxGpuUtilization: 6 })).inUse, true);
      assert.equal(activityOf(observe({ maxGpuUtilization: 5 })).inUse, false);
      assert.equal(activityOf(observe({ maxGpuUtilization: undefined })).inUse, false);
    });

    it('signals that could not be observed prove nothing either way', () => {
      const activity = activityOf({
        atMs: NOW,
        sshSessions: undefined,
        kernels: undefined,
        maxGpuUtilization: undefined,
      });
      assert.equal(activity.inUse, false);
      assert.equal(activity.lastActiveAtMs, undefined);
    });

    it('activity moves the record forward and retires a warning; older activity changes nothing', () => {
      const warned = idleSince(NOW - 55 * MINUTE, { warnedAtMs: NOW - 5 * MINUTE });
      const moved = recordActivity(warned, activityOf(observe({ sshSessions: 1 })));
      assert.deepEqual(moved, { deploymentId: 'd1', lastActiveAtMs: NOW });
      const stale = recordActivity(
        warned,
        activityOf(observe({ kernels: [{ executionState: 'idle', lastActivityMs: NOW - 2 * HOUR }] })),
      );
      assert.equal(stale, warned);
    });
  });

  describe('decision', () => {
    it('is off without a limit, or with 0', () => {
      assert.equal(decideIdle(input({ record: idleSince(START), limitMinutes: undefined })).kind, 'off');
      assert.equal(decideIdle(input({ record: idleSince(START), limitMinutes: 0 })).kind, 'off');
    });

    it('counts idle time before the warning point', () => {
      assert.deepEqual(decideIdle(input({ record: idleSince(NOW - 49 * MINUTE) })), {
        kind: 'idle',
        idleMs: 49 * MINUTE,
        deadlineMs: NOW + 11 * MINUTE,
      });
    });

    it('warns at limit − 10 min', () => {
      assert.deepEqual(decideIdle(input({ record: idleSince(NOW - 50 * MINUTE) })), {
        kind: 'warn',
        idleMs: 50 * MINUTE,
        deadlineMs: NOW + 10 * MINUTE,
      });
    });

    it('never terminates without a warning: a late start warns first and gives the full 10 minutes', () => {
      assert.deepEqual(decideIdle(input({ record: idleSince(NOW - 3 * HOUR) })), {
        kind: 'warn',
        idleMs: 3 * HOUR,
        deadlineMs: NOW + 10 * MINUTE,
      });
      const warned = idleSince(NOW - 3 * HOUR, { warnedAtMs: NOW - 9 * MINUTE });
      assert.equal(decideIdle(input({ record: warned })).kind, 'idle');
      assert.equal(decideIdle(input({ record: warned, nowMs: NOW + MINUTE })).kind, 'terminate');
    });

    it('terminates at the limit after an unanswered warning', () => {
      const record = idleSince(NOW - 60 * MINUTE, { warnedAtMs: NOW - 10 * MINUTE });
      assert.deepEqual(decideIdle(input({ record })), { kind: 'terminate', idleMs: 60 * MINUTE });
    });

    it('inside the minimum runtime it schedules Terminate When Allowed instead', () => {
      const startedRecently = NOW - 15 * MINUTE;
      const record = idleSince(NOW - 15 * MINUTE, { warnedAtMs: NOW - 10 * MINUTE });
      assert.deepEqual(
        decideIdle(input({ record, limitMinutes: 10, terminableAtMs: startedRecently + 20 * MINUTE })),
        { kind: 'schedule', idleMs: 15 * MINUTE, atMs: NOW + 5 * MINUTE },
      );
    });

    it('never terminates while a kernel is busy, whatever the record says', () => {
      const record = idleSince(NOW - 5 * HOUR, { warnedAtMs: NOW - HOUR });
      const busy = activityOf(observe({ kernels: [{ executionState: 'busy', lastActivityMs: undefined }] }));
      assert.deepEqual(decideIdle(input({ record, activity: busy })), {
        kind: 'in-use',
        reasons: ['a Jupyter kernel is busy'],
      });
    });

    it('in use by SSH or GPU: nothing happens', () => {
      const record = idleSince(NOW - 5 * HOUR, { warnedAtMs: NOW - HOUR });
      assert.equal(
        decideIdle(input({ record, activity: activityOf(observe({ sshSessions: 1 })) })).kind,
        'in-use',
      );
      assert.equal(
        decideIdle(input({ record, activity: activityOf(observe({ maxGpuUtilization: 97 })) })).kind,
        'in-use',
      );
    });

    it('a look that could read nothing (SSH failed) neither warns nor terminates, however long the record says', () => {
      const blind = activityOf({
        atMs: NOW,
        sshSessions: undefined,
        kernels: undefined,
        maxGpuUtilization: undefined,
      });
      assert.equal(blind.observed, false);
      const warned = idleSince(NOW - 5 * HOUR, { warnedAtMs: NOW - HOUR });
      assert.deepEqual(decideIdle(input({ record: warned, activity: blind })), { kind: 'unobserved' });
      assert.deepEqual(decideIdle(input({ record: idleSince(NOW - 3 * HOUR), activity: blind })), {
        kind: 'unobserved',
      });
      assert.match(
        idleTooltipLine({ kind: 'unobserved' }, LIMIT) ?? '',
        /cannot see the instance .* left alone · guard at 60 min$/,
      );
      // One readable signal is enough to judge: SSH answered, no nvidia-smi, no Jupyter.
      const partial = activityOf({
        atMs: NOW,
        sshSessions: 0,
        kernels: undefined,
        maxGpuUtilization: undefined,
      });
      assert.equal(partial.observed, true);
      assert.equal(decideIdle(input({ record: warned, activity: partial })).kind, 'terminate');
    });

    it('does nothing more while a termination is pending', () => {
      const record = idleSince(NOW - 5 * HOUR, { warnedAtMs: NOW - HOUR });
      assert.equal(decideIdle(input({ record, alreadyScheduled: true })).kind, 'pending');
    });

    for (const hours of [1, 4]) {
      it(`Keep ${hours} h more moves the deadline, and warns again 10 minutes before it`, () => {
        const warned = idleSince(NOW - 52 * MINUTE, { warnedAtMs: NOW - 2 * MINUTE });
        const kept = keepFor(warned, hours, NOW);
        assert.equal(kept.warnedAtMs, undefined);
        assert.equal(kept.keepUntilMs, NOW + hours * HOUR);
        const before = NOW + hours * HOUR - 11 * MINUTE;
        assert.equal(decideIdle(input({ record: kept, nowMs: before })).kind, 'idle');
        const warnAt = NOW + hours * HOUR - 10 * MINUTE;
        assert.deepEqual(decideIdle(input({ record: kept, nowMs: warnAt })), {
          kind: 'warn',
          idleMs: warnAt - warned.lastActiveAtMs,
          deadlineMs: NOW + hours * HOUR,
        });
      });
    }

    it('a second Keep never shortens an earlier, longer one', () => {
      const kept = keepFor(keepFor(idleSince(NOW), 4, NOW), 1, NOW + MINUTE);
      assert.equal(kept.keepUntilMs, NOW + 4 * HOUR);
    });
  });

  describe('text', () => {
    it('the tooltip line says how long it has been idle and where the guard is', () => {
      const decision = decideIdle(input({ record: idleSince(NOW - 23 * MINUTE) }));
      assert.equal(idleTooltipLine(decision, LIMIT), 'idle for 23 min · guard at 60 min');
      const inUse = decideIdle(
        input({ record: idleSince(NOW), activity: activityOf(observe({ sshSessions: 1 })) }),
      );
      assert.equal(idleTooltipLine(inUse, LIMIT), 'in use (1 SSH session) · guard at 60 min');
      assert.equal(idleTooltipLine({ kind: 'off' }, undefined), undefined);
    });

    it('the warning names the instance, the deadline and the cost so far', () => {
      const d = deployment({
        id: 'd1',
        name: 'trainer',
        status: 'running',
        startedAtMs: NOW - 2 * HOUR,
        hourlyRate: 2.5,
        totalCost: 4,
      });
      assert.equal(
        idleWarningMessage(d, {
          nowMs: NOW,
          idleMs: 50 * MINUTE,
          deadlineMs: NOW + 10 * MINUTE,
          formatClock: () => '12:10',
        }),
        'Spheron: “trainer” has been idle for 50 min (no SSH session, busy kernel or GPU load) and will be terminated in 10 min, at 12:10. It has cost $5.00 so far at $2.50/h.',
      );
    });

    it('a per-instance limit overrides the setting, and 0 turns it off for that instance', () => {
      assert.equal(effectiveLimitMinutes(60, undefined), 60);
      assert.equal(effectiveLimitMinutes(60, 120), 120);
      assert.equal(effectiveLimitMinutes(60, 0), undefined);
      assert.equal(effectiveLimitMinutes(0, undefined), undefined);
    });
  });

  describe('shared store (every window)', () => {
    it('only the first window to claim a warning shows it', async () => {
      const store = new MemoryStore();
      await updateIdleRecord(store, 'd1', () => idleSince(NOW - 50 * MINUTE));
      assert.equal(await claimWarning(store, 'd1', NOW), true, 'window A shows it');
      assert.equal(await claimWarning(store, 'd1', NOW + 1000), false, 'window B sees it was shown');
      assert.equal(readIdleState(store).records.get('d1')?.warnedAtMs, NOW);
    });

    it('a Keep chosen in one window holds in the other', async () => {
      const store = new MemoryStore();
      await updateIdleRecord(store, 'd1', () => idleSince(NOW - 50 * MINUTE, { warnedAtMs: NOW }));
      // Window A: Keep 1 h more.
      await updateIdleRecord(store, 'd1', (current) => (current ? keepFor(current, 1, NOW) : current));
      // Window B decides from the store.
      const seen = readIdleState(store).records.get('d1');
      assert.ok(seen);
      assert.equal(decideIdle(input({ record: seen, nowMs: NOW + 30 * MINUTE })).kind, 'idle');
    });

    it('writes merge: one window’s record and another’s override both survive', async () => {
      const store = new MemoryStore();
      await updateIdleRecord(store, 'd1', () => idleSince(NOW));
      await setIdleOverride(store, 'd2', 0);
      await updateIdleRecord(store, 'd2', () => ({ deploymentId: 'd2', lastActiveAtMs: NOW }));
      const state = readIdleState(store);
      assert.deepEqual([...state.records.keys()].sort(), ['d1', 'd2']);
      assert.equal(state.overrides.get('d2'), 0);
      await setIdleOverride(store, 'd2', undefined);
      assert.equal(readIdleState(store).overrides.has('d2'), false);
    });

    it('ignores a store it cannot read', () => {
      const store = new MemoryStore();
      void store.update('spheron.idleGuard', { version: 9 });
      assert.equal(readIdleState(store).records.size, 0);
    });
  });
});
