import * as assert from 'node:assert/strict';
import {
  AuthError,
  CancelledError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '../../../src/core/api/errors';
import {
  DEFAULT_RATE_LIMIT_DELAY_MS,
  DEFAULT_RETRY_POLICY,
  isRetryable,
  rateLimitDelayMs,
  realSleep,
  retryDelayMs,
} from '../../../src/core/api/retry';

const endpoint = 'GET /api/deployments';
const policy = DEFAULT_RETRY_POLICY;

describe('retry policy (no server)', () => {
  it('repeats GET, PATCH and DELETE after 5xx, network failures and timeouts', () => {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      assert.equal(isRetryable(method, new ServerError(502, endpoint, undefined), policy), true);
      assert.equal(isRetryable(method, new NetworkError(endpoint, 'ECONNRESET'), policy), true);
      assert.equal(isRetryable(method, new TimeoutError(endpoint, 30_000), policy), true);
    }
  });

  it('repeats POST only after a 429', () => {
    assert.equal(isRetryable('POST', new ServerError(500, endpoint, undefined), policy), false);
    assert.equal(isRetryable('POST', new NetworkError(endpoint, 'ECONNRESET'), policy), false);
    assert.equal(isRetryable('POST', new TimeoutError(endpoint, 30_000), policy), false);
    assert.equal(isRetryable('POST', new RateLimitError(endpoint, 5_000), policy), true);
  });

  it('never repeats client errors or cancellation', () => {
    for (const error of [
      new AuthError(401, endpoint, undefined),
      new NotFoundError(endpoint, undefined),
      new ValidationError(endpoint, 'bad'),
      new CancelledError(endpoint),
    ]) {
      assert.equal(isRetryable('GET', error, policy), false, error.name);
    }
  });

  it('does not wait out a rate limit longer than the cap', () => {
    assert.equal(isRetryable('GET', new RateLimitError(endpoint, policy.maxRateLimitWaitMs), policy), true);
    assert.equal(
      isRetryable('GET', new RateLimitError(endpoint, policy.maxRateLimitWaitMs + 1), policy),
      false,
    );
  });

  it('backs off exponentially with jitter, capped, and waits exactly the server delay after a 429', () => {
    const custom = { ...policy, baseDelayMs: 100, maxDelayMs: 1_000 };
    assert.equal(
      retryDelayMs(1, new ServerError(503, endpoint, undefined), custom, () => 0),
      50,
    );
    assert.equal(
      retryDelayMs(1, new ServerError(503, endpoint, undefined), custom, () => 1),
      100,
    );
    assert.equal(
      retryDelayMs(3, new ServerError(503, endpoint, undefined), custom, () => 1),
      400,
    );
    assert.equal(
      retryDelayMs(10, new ServerError(503, endpoint, undefined), custom, () => 1),
      1_000,
    );
    assert.equal(
      retryDelayMs(2, new RateLimitError(endpoint, 7_000), custom, () => 0.5),
      7_000,
    );
  });

  describe('rate-limit delay', () => {
    const now = Date.parse('2026-09-10T12:00:00Z');

    it('reads Retry-After seconds, then an HTTP date, then the body, then the default', () => {
      assert.equal(rateLimitDelayMs('7', undefined, now), 7_000);
      assert.equal(rateLimitDelayMs('Thu, 10 Sep 2026 12:00:30 GMT', undefined, now), 30_000);
      assert.equal(rateLimitDelayMs('Thu, 10 Sep 2026 11:00:00 GMT', undefined, now), 0);
      assert.equal(rateLimitDelayMs(undefined, 12, now), 12_000);
      assert.equal(rateLimitDelayMs('garbage', 3, now), 3_000);
      assert.equal(rateLimitDelayMs(undefined, undefined, now), DEFAULT_RATE_LIMIT_DELAY_MS);
      assert.equal(DEFAULT_RATE_LIMIT_DELAY_MS, 60_000);
    });
  });

  describe('realSleep', () => {
    it('rejects with CancelledError as soon as the signal aborts', async () => {
      const controller = new AbortController();
      const startedMs = Date.now();
      const sleeping = realSleep(60_000, controller.signal);
      controller.abort();
      await assert.rejects(sleeping, CancelledError);
      assert.ok(Date.now() - startedMs < 1_000);
    });

    it('rejects at once when the signal is already aborted', async () => {
      await assert.rejects(realSleep(60_000, AbortSignal.abort()), CancelledError);
    });

    it('resolves after the delay', async () => {
      await realSleep(1, undefined);
    });
  });
});
