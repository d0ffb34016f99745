// The request budget every window shares: background work stops at 80 requests per 15 minutes,
// slows down before, pauses after a 429; user actions are never refused by it.
import * as assert from 'node:assert/strict';
import {
  BACKGROUND_LIMIT,
  BUDGET_WINDOW_MS,
  REQUEST_BUDGET_KEY,
  RequestBudget,
} from '../../../src/core/api/requestBudget';
import { NO_RATE_LIMIT_HINT_MS } from '../../../src/core/api/retry';
import { MemoryStore } from '../deploy/fakeTime';

describe('request budget (shared by the windows of one machine)', () => {
  let now: number;
  let store: MemoryStore;
  const budget = (): RequestBudget => new RequestBudget(store, () => now);

  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryStore();
  });

  it('lets background work go until 80 requests in 15 minutes, counting every window', () => {
    const windowA = budget();
    const windowB = budget();
    for (let i = 0; i < BACKGROUND_LIMIT; i += 1) {
      assert.equal((i % 2 === 0 ? windowA : windowB).backgroundWaitMs(), 0, `request ${i + 1}`);
      (i % 2 === 0 ? windowA : windowB).record();
      now += 1_000;
    }
    assert.equal(windowA.used(), BACKGROUND_LIMIT);
    // The oldest request leaves the window 15 minutes after it was sent.
    assert.equal(windowB.backgroundWaitMs(), 1_000_000 + BUDGET_WINDOW_MS - now);
    now = 1_000_000 + BUDGET_WINDOW_MS;
    assert.equal(windowA.backgroundWaitMs(), 0);
  });

  it('stretches poll intervals as it empties: ×1, ×2 past half, ×4 past three quarters', () => {
    const shared = budget();
    const slowdowns: number[] = [];
    for (let i = 0; i < BACKGROUND_LIMIT; i += 1) {
      slowdowns.push(shared.slowdown());
      shared.record();
    }
    assert.equal(slowdowns[0], 1);
    assert.equal(slowdowns[BACKGROUND_LIMIT / 2 - 1], 1);
    assert.equal(slowdowns[BACKGROUND_LIMIT / 2], 2);
    assert.equal(slowdowns[(BACKGROUND_LIMIT * 3) / 4], 4);
  });

  it("pauses background work for the server's wait after a 429, 15 s when it gave none", () => {
    budget().rateLimited(120_000);
    assert.equal(budget().backgroundWaitMs(), 120_000);
    now += 120_000;
    assert.equal(budget().backgroundWaitMs(), 0);
    budget().rateLimited(NO_RATE_LIMIT_HINT_MS);
    assert.equal(budget().backgroundWaitMs(), 15_000);
  });

  it('starts over from garbage in storage', async () => {
    await store.update(REQUEST_BUDGET_KEY, { version: 7, sentAtMs: 'lots' });
    assert.equal(budget().used(), 0);
    assert.equal(budget().backgroundWaitMs(), 0);
  });
});
