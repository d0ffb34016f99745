import * as assert from 'node:assert/strict';
import type { CanTerminate } from '../../../src/core/domain/types';
import {
  planTermination,
  scheduledTerminationsForView,
  TERMINATE_BUTTON,
  TERMINATE_WHEN_ALLOWED_BUTTON,
} from '../../../src/core/deploy/terminationPrompt';
import { deployment, HOUR, MINUTE, NOW } from '../model/fixtures';

const allowed: CanTerminate = {
  canTerminate: true,
  runtimeMinutes: 80,
  minimumRuntimeMinutes: 20,
  timeRemainingMinutes: 0,
  reason: undefined,
};
const clock = (ms: number) => `T+${Math.round((ms - NOW) / MINUTE)}m`;

describe('the terminate confirmation', () => {
  it('names the instance, its cost so far and its rate, and warns that the disk is destroyed', () => {
    const running = deployment({ id: 'd1', name: 'trainer', hourlyRate: 2, startedAtMs: NOW - 3 * HOUR });
    const plan = planTermination(running, allowed, { nowMs: NOW, formatClock: clock });
    assert.equal(plan.kind, 'confirm');
    assert.ok(plan.kind === 'confirm');
    assert.equal(plan.message, 'Terminate “trainer”?');
    assert.equal(plan.button, TERMINATE_BUTTON);
    assert.match(plan.detail, /It has cost \$6\.00 so far at \$2\.00\/h\./);
    assert.match(plan.detail, /destroys the instance and its disk/);
    assert.match(plan.detail, /cannot be undone/);
  });

  it('inside the minimum runtime: minutes remaining and "Terminate When Allowed"', () => {
    const young = deployment({ id: 'd2', name: 'fresh', hourlyRate: 1.2, startedAtMs: NOW - 5 * MINUTE });
    const refused: CanTerminate = {
      canTerminate: false,
      runtimeMinutes: 5,
      minimumRuntimeMinutes: 20,
      timeRemainingMinutes: 15,
      reason: 'Minimum runtime not met',
    };
    const plan = planTermination(young, refused, { nowMs: NOW, formatClock: clock });
    assert.ok(plan.kind === 'wait');
    assert.equal(plan.message, '“fresh” can be terminated in 15 minutes.');
    assert.equal(plan.button, TERMINATE_WHEN_ALLOWED_BUTTON);
    assert.equal(plan.minutesRemaining, 15);
    assert.equal(plan.earliestAtMs, NOW + 15 * MINUTE);
    assert.match(plan.detail, /minimum runtime of 20 minutes/);
    assert.match(plan.detail, /\$0\.10 so far at \$1\.20\/h/);
    assert.match(plan.detail, /about T\+15m/);
    assert.doesNotMatch(plan.detail, /already scheduled/);
    const again = planTermination(
      young,
      { ...refused, timeRemainingMinutes: 1 },
      {
        nowMs: NOW,
        scheduled: { dueAtMs: NOW + 15 * MINUTE },
        formatClock: clock,
      },
    );
    assert.ok(again.kind === 'wait');
    assert.equal(again.message, '“fresh” can be terminated in 1 minute.');
    assert.match(again.detail, /already scheduled to terminate at T\+15m/);
  });

  it('treats an instance that is already terminated as done', () => {
    const gone = deployment({ id: 'd3', status: 'terminated' });
    assert.equal(planTermination(gone, allowed, { nowMs: NOW }).kind, 'alreadyTerminated');
    const refused: CanTerminate = {
      ...allowed,
      canTerminate: false,
      reason: 'Instance has already been terminated',
    };
    const plan = planTermination(deployment({ id: 'd4', name: 'x' }), refused, { nowMs: NOW });
    assert.deepEqual(plan, { kind: 'alreadyTerminated', message: '“x” is already terminated.' });
  });

  it('lets the user try when Spheron refuses without time remaining (it decides on DELETE)', () => {
    const refused: CanTerminate = { ...allowed, canTerminate: false, reason: 'Something else' };
    assert.equal(planTermination(deployment({ id: 'd5' }), refused, { nowMs: NOW }).kind, 'confirm');
  });

  it('maps the scheduler entries to what the Instances view shows', () => {
    const view = scheduledTerminationsForView([
      { deploymentId: 'a', dueAtMs: 10 },
      { deploymentId: 'b', dueAtMs: 20 },
    ]);
    assert.deepEqual(
      [...view],
      [
        ['a', { atMs: 10 }],
        ['b', { atMs: 20 }],
      ],
    );
  });
});
