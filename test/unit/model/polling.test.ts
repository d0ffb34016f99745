import * as assert from 'node:assert/strict';
import { CancelledError, NetworkError, RateLimitError } from '../../../src/core/api/errors';
import type { PollResult, PollerOptions } from '../../../src/core/model/polling';
import { POLL_POLICIES, Poller } from '../../../src/core/model/polling';
import { FakeClock, Gate, settle } from './fakeClock';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A poller on a fake clock that records when each refresh started. */
function harness(
  respond: (call: number) => PollResult | Promise<PollResult> | Error = () => ({ transitional: false }),
  options: Partial<PollerOptions> = {},
) {
  const clock = new FakeClock();
  const starts: number[] = [];
  const errors: unknown[] = [];
  const poller = new Poller({
    timers: clock,
    clock,
    onError: (error) => errors.push(error),
    refresh: async () => {
      starts.push(clock.now());
      const outcome = respond(starts.length);
      if (outcome instanceof Error) {
        throw outcome;
      }
      return outcome;
    },
    ...options,
  });
  return { clock, starts, errors, poller };
}

/** Gaps between consecutive refresh starts, in seconds. */
function gaps(starts: readonly number[]): number[] {
  return starts.slice(1).map((start, i) => (start - (starts[i] ?? 0)) / SECOND);
}

describe('model/polling', () => {
  it('does nothing while hidden', async () => {
    const { clock, starts, poller } = harness();
    await clock.advance(15 * MINUTE);
    poller.setVisible(false);
    await clock.advance(15 * MINUTE);
    assert.deepEqual(starts, []);
    assert.equal(clock.pendingTimers, 0);
  });

  it('refreshes at once when shown, then at the slow interval', async () => {
    const { clock, starts, poller } = harness();
    poller.setVisible(true);
    await clock.advance(5 * MINUTE);
    assert.deepEqual(
      starts.map((t) => t / SECOND),
      [0, 60, 120, 180, 240, 300],
    );
    assert.equal(poller.state.nextDueMs, 6 * MINUTE);
  });

  it('polls fast while something is transitional, and slows down after', async () => {
    const { clock, starts, poller } = harness((call) => ({ transitional: call <= 3 }));
    poller.setVisible(true);
    await clock.advance(3 * MINUTE);
    assert.deepEqual(gaps(starts), [15, 15, 15, 60, 60]);
  });

  it('never polls faster than every 10 s', async () => {
    const { clock, starts, poller } = harness(() => ({ transitional: true }), {
      fastIntervalMs: 1000,
      slowIntervalMs: 2000,
    });
    poller.setVisible(true);
    await clock.advance(MINUTE);
    assert.deepEqual(gaps(starts), [10, 10, 10, 10, 10, 10]);
  });

  it('wakes early when a refresh asks to, but not before 10 s', async () => {
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? { transitional: false, wakeInMs: 20 * SECOND } : { transitional: false, wakeInMs: 1 },
    );
    poller.setVisible(true);
    await clock.advance(45 * SECOND);
    assert.deepEqual(gaps(starts), [20, 10, 10]);
  });

  it('stops when hidden and catches up when shown again', async () => {
    const { clock, starts, poller } = harness();
    poller.setVisible(true);
    await clock.advance(90 * SECOND);
    poller.setVisible(false);
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(10 * MINUTE);
    assert.deepEqual(
      starts.map((t) => t / SECOND),
      [0, 60],
    );
    poller.setVisible(true);
    await clock.advance(0);
    assert.equal(starts.length, 3, 'data older than the interval refreshes at once');
    assert.equal(starts[2], 11.5 * MINUTE);
  });

  it('waits out the rest of the interval when shown again soon', async () => {
    const { clock, starts, poller } = harness();
    poller.setVisible(true);
    await clock.advance(10 * SECOND);
    poller.setVisible(false);
    await clock.advance(20 * SECOND);
    poller.setVisible(true);
    await clock.advance(29 * SECOND);
    assert.equal(starts.length, 1);
    await clock.advance(1 * SECOND);
    assert.deepEqual(
      starts.map((t) => t / SECOND),
      [0, 60],
    );
  });

  it('never overlaps itself', async () => {
    const gate = new Gate<PollResult>();
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? gate.promise : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(10 * MINUTE);
    assert.equal(starts.length, 1, 'a slow refresh is not started again');
    assert.equal(poller.state.inFlight, true);
    gate.resolve({ transitional: false });
    await settle();
    assert.equal(poller.state.inFlight, false);
    await clock.advance(MINUTE);
    assert.deepEqual(
      starts.map((t) => t / MINUTE),
      [0, 11],
    );
  });

  it('coalesces manual refreshes during a flight into one follow-up', async () => {
    const gate = new Gate<PollResult>();
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? gate.promise : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(0);
    let settled = 0;
    const waits = [poller.refreshNow(), poller.refreshNow(), poller.refreshNow()].map((p) =>
      p.then(() => {
        settled += 1;
      }),
    );
    await settle();
    assert.equal(settled, 0);
    gate.resolve({ transitional: false });
    await Promise.all(waits);
    assert.equal(settled, 3);
    assert.equal(starts.length, 2, 'one flight plus exactly one follow-up');
    await clock.advance(59 * SECOND);
    assert.equal(starts.length, 2);
    await clock.advance(1 * SECOND);
    assert.equal(starts.length, 3);
  });

  it('refreshes at once on request when idle and restarts the interval', async () => {
    const { clock, starts, poller } = harness();
    poller.setVisible(true);
    await clock.advance(30 * SECOND);
    await poller.refreshNow();
    await clock.advance(59 * SECOND);
    assert.deepEqual(
      starts.map((t) => t / SECOND),
      [0, 30],
    );
    await clock.advance(1 * SECOND);
    assert.deepEqual(
      starts.map((t) => t / SECOND),
      [0, 30, 90],
    );
  });

  it('backs off ×2 on errors up to 5 min, and recovers on success', async () => {
    const failing = new Set([1, 2, 3, 4, 5]);
    const { clock, starts, errors, poller } = harness((call) =>
      failing.has(call) ? new NetworkError('GET /api/balance', 'ECONNREFUSED') : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(30 * MINUTE);
    assert.deepEqual(gaps(starts).slice(0, 6), [120, 240, 300, 300, 300, 60]);
    assert.equal(errors.length, 5);
    assert.equal(poller.state.consecutiveFailures, 0);
  });

  it('backs off from the fast interval while transitional', async () => {
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? { transitional: true } : new NetworkError('GET /api/deployments', undefined),
    );
    poller.setVisible(true);
    await clock.advance(3 * MINUTE);
    assert.deepEqual(gaps(starts).slice(0, 3), [15, 30, 60]);
  });

  it('yields to the request budget: waits while it says so, and stretches its intervals', async () => {
    let waitMs = 0;
    let slowdown = 1;
    const { clock, starts, poller } = harness(() => ({ transitional: false }), {
      budget: { backgroundWaitMs: () => waitMs, slowdown: () => slowdown },
    });
    poller.setVisible(true);
    await clock.advance(0);
    waitMs = 3 * MINUTE;
    await clock.advance(MINUTE);
    assert.equal(starts.length, 1, 'no automatic refresh while the budget says wait');
    waitMs = 0;
    slowdown = 2;
    await clock.advance(3 * MINUTE);
    await clock.advance(2 * MINUTE);
    assert.deepEqual(gaps(starts), [240, 120]);
    waitMs = 3 * MINUTE;
    const before = starts.length;
    await poller.refreshNow();
    assert.equal(starts.length, before + 1, 'a refresh the user asks for does not wait');
  });

  it('waits at least as long as a rate limit asks', async () => {
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? new RateLimitError('GET /api/deployments', 7 * MINUTE) : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(10 * MINUTE);
    assert.deepEqual(gaps(starts).slice(0, 2), [420, 60]);
  });

  it('does not count a cancellation as a failure', async () => {
    const { clock, starts, errors, poller } = harness((call) =>
      call === 1 ? new CancelledError() : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(2 * MINUTE);
    assert.deepEqual(gaps(starts), [60, 60]);
    assert.deepEqual(errors, []);
  });

  it('keeps polling when the error callback throws', async () => {
    const { clock, starts, poller } = harness(() => new NetworkError('GET /api/volumes', undefined), {
      onError: () => {
        throw new Error('logger broke');
      },
    });
    poller.setVisible(true);
    await clock.advance(7 * MINUTE);
    assert.deepEqual(gaps(starts), [120, 240]);
  });

  it('stops for good when disposed', async () => {
    const gate = new Gate<PollResult>();
    const { clock, starts, poller } = harness((call) =>
      call === 1 ? gate.promise : { transitional: false },
    );
    poller.setVisible(true);
    await clock.advance(0);
    const pending = poller.refreshNow();
    poller.dispose();
    await pending;
    gate.resolve({ transitional: false });
    await clock.advance(10 * MINUTE);
    await poller.refreshNow();
    poller.setVisible(true);
    await clock.advance(10 * MINUTE);
    assert.equal(starts.length, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  describe('request budget over 15 simulated minutes', () => {
    function fleet(visible: boolean) {
      const clock = new FakeClock();
      const counts = { instances: 0, volumes: 0, balance: 0 };
      const pollers = (Object.keys(counts) as (keyof typeof counts)[]).map(
        (resource) =>
          new Poller({
            ...POLL_POLICIES[resource],
            timers: clock,
            clock,
            refresh: () => {
              counts[resource] += 1;
              return Promise.resolve({ transitional: false });
            },
          }),
      );
      pollers.forEach((p) => p.setVisible(visible));
      return { clock, counts, pollers };
    }

    it('stays within 30 requests with the views visible and everything running', async () => {
      const { clock, counts, pollers } = fleet(true);
      await clock.advance(15 * MINUTE - 1);
      assert.deepEqual(counts, { instances: 15, volumes: 3, balance: 3 });
      const total = counts.instances + counts.volumes + counts.balance;
      assert.ok(total <= 30, `${total} requests`);
      pollers.forEach((p) => p.dispose());
    });

    it('makes no requests with the views hidden', async () => {
      const { clock, counts } = fleet(false);
      await clock.advance(15 * MINUTE);
      assert.deepEqual(counts, { instances: 0, volumes: 0, balance: 0 });
    });
  });
});
