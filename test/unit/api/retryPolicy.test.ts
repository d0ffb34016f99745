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
  NO_RATE_LIMIT_HINT_MS,
  DEFAULT_RETRY_POLICY,
  UNHINTED_RATE_LIMIT_BACKOFF_MS,
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

  it('never repeats a POST, not even after a 429 (a proxy can answer 429 after the create)', () => {
    assert.equal(isRetryable('POST', new ServerError(500, endpoint, undefined), policy), false);
    assert.equal(isRetryable('POST', new NetworkError(endpoint, 'ECONNRESET'), policy), false);
    assert.equal(isRetryable('POST', new TimeoutError(endpoint, 30_000), policy), false);
    assert.equal(isRetryable('POST', new RateLimitError(endpoint, 5_000), policy), false);
    assert.equal(isRetryable('POST', new RateLimitError(endpoint, NO_RATE_LIMIT_HINT_MS), policy), false);
  });

  it('backs off 5 s, then 15 s after 429s without a usable wait, never a guessed minute', () => {
    const unhinted = new RateLimitError(endpoint, NO_RATE_LIMIT_HINT_MS);
    assert.equal(isRetryable('GET', unhinted, policy), true);
    assert.equal(
      retryDelayMs(1, unhinted, policy, () => 0.5),
      5_000,
    );
    assert.equal(
      retryDelayMs(2, unhinted, policy, () => 0.5),
      15_000,
    );
    assert.equal(
      retryDelayMs(3, unhinted, policy, () => 0.5),
      15_000,
    );
  });

  it('never tells the user to wait "0 s"', () => {
    for (const error of [
      new RateLimitError(endpoint, rateLimitDelayMs('0', undefined, Date.now())),
      new RateLimitError(endpoint, rateLimitDelayMs(undefined, 0, Date.now())),
      new RateLimitError(endpoint, rateLimitDelayMs(undefined, undefined, Date.now())),
    ]) {
      assert.doesNotMatch(error.message, /\b0 s\b/);
      assert.match(error.message, /rate limit was reached\. Wait a minute, then try again\./);
    }
    assert.match(new RateLimitError(endpoint, 200).message, /Try again in 1 s\./);
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

    it('reads Retry-After seconds, then an HTTP date, then the body, else says there was no hint', () => {
      assert.equal(rateLimitDelayMs('7', undefined, now), 7_000);
      assert.equal(rateLimitDelayMs('Thu, 10 Sep 2026 12:00:30 GMT', undefined, now), 30_000);
      assert.equal(rateLimitDelayMs('Thu, 10 Sep 2026 11:00:00 GMT', undefined, now), 0);
      assert.equal(rateLimitDelayMs(undefined, 12, now), 12_000);
      assert.equal(rateLimitDelayMs('garbage', 3, now), 3_000);
      assert.equal(rateLimitDelayMs(undefined, undefined, now), NO_RATE_LIMIT_HINT_MS);
      assert.equal(rateLimitDelayMs('0', 6, now), 6_000, 'Retry-After: 0 is no hint; the body has one');
      assert.equal(rateLimitDelayMs('0', 0, now), NO_RATE_LIMIT_HINT_MS);
    });

    it('reads a retryAfter the body sends as text, and ignores one that is not a number of seconds', () => {
      assert.equal(rateLimitDelayMs(undefined, '12', now), 12_000);
      assert.equal(rateLimitDelayMs(undefined, ' 1.5 ', now), 1_500);
      assert.equal(rateLimitDelayMs(undefined, '0', now), NO_RATE_LIMIT_HINT_MS);
      for (const junk of ['12s', '-3', '', 'soon', '1e3', '3.', 'x3']) {
        assert.equal(rateLimitDelayMs(undefined, junk, now), NO_RATE_LIMIT_HINT_MS, junk);
      }
      for (const junk of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, null, true]) {
        assert.equal(rateLimitDelayMs(undefined, junk, now), NO_RATE_LIMIT_HINT_MS, String(junk));
      }
      assert.equal(rateLimitDelayMs(undefined, 0.0004, now), 0);
      assert.equal(rateLimitDelayMs(undefined, 1.2345, now), 1_235);
    });

    it('reads Retry-After with spaces and fractions, and refuses a bare number as a date', () => {
      assert.equal(rateLimitDelayMs(' 2.5 ', undefined, now), 2_500);
      assert.equal(rateLimitDelayMs('2026', 4, now), 2_026_000);
      assert.equal(rateLimitDelayMs('-1', 4, now), 4_000);
      assert.equal(rateLimitDelayMs('7s', undefined, now), NO_RATE_LIMIT_HINT_MS);
      assert.equal(
        rateLimitDelayMs('2026-09-10', 4, now),
        4_000,
        'an ISO date without letters is no HTTP date',
      );
      assert.equal(rateLimitDelayMs(' Thu, 10 Sep 2026 12:00:01 GMT ', undefined, now), 1_000);
    });

    it('reads every decimal of a wait, and no signed, hex or exponent number, nor a future date without letters', () => {
      assert.equal(rateLimitDelayMs('2.25', undefined, now), 2_250);
      assert.equal(rateLimitDelayMs(undefined, '1.25', now), 1_250);
      // Number() would read these, Retry-After's delay-seconds is digits only.
      for (const junk of ['+5', '5e3', '0x10']) {
        assert.equal(rateLimitDelayMs(junk, undefined, now), NO_RATE_LIMIT_HINT_MS, junk);
      }
      // An ISO date is no HTTP date even when it is ahead: the body's wait counts instead.
      assert.equal(rateLimitDelayMs('2026-09-11', 4, now), 4_000);
      assert.equal(rateLimitDelayMs('2026-09-11', undefined, now), NO_RATE_LIMIT_HINT_MS);
    });
  });

  it('uses three attempts, a 0.5 s first step capped at 8 s, and waits out at most a minute', () => {
    assert.deepEqual(DEFAULT_RETRY_POLICY, {
      maxAttempts: 3,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxRateLimitWaitMs: 60_000,
    });
    assert.deepEqual(UNHINTED_RATE_LIMIT_BACKOFF_MS, [5_000, 15_000]);
    const server = new ServerError(503, endpoint, undefined);
    assert.equal(
      retryDelayMs(1, server, policy, () => 1),
      500,
    );
    assert.equal(
      retryDelayMs(5, server, policy, () => 1),
      8_000,
    );
    assert.equal(
      retryDelayMs(6, server, policy, () => 1),
      8_000,
    );
    assert.equal(
      retryDelayMs(6, server, policy, () => 0),
      4_000,
    );
    assert.equal(
      retryDelayMs(2, server, policy, () => 0.25),
      625,
    );
    assert.equal(isRetryable('GET', new RateLimitError(endpoint, 60_000), policy), true);
    assert.equal(isRetryable('GET', new RateLimitError(endpoint, 60_001), policy), false);
  });

  it('repeats only 5xx server errors, and a 429 with a wait of 1 ms', () => {
    assert.equal(isRetryable('GET', new ServerError(500, endpoint, undefined), policy), true);
    assert.equal(isRetryable('GET', new ServerError(499, endpoint, undefined), policy), false);
    assert.equal(isRetryable('GET', new ServerError(418, endpoint, undefined), policy), false);
    assert.equal(
      retryDelayMs(1, new RateLimitError(endpoint, 1), policy, () => 0.5),
      1,
    );
    assert.equal(
      retryDelayMs(0, new RateLimitError(endpoint, NO_RATE_LIMIT_HINT_MS), policy, () => 0.5),
      0,
    );
  });

  describe('realSleep', () => {
    it('rejects with CancelledError as soon as the signal aborts', async () => {
      const controller = new AbortController();
      const startedMs = Date.now();
      const sleeping = realSleep(60_000, controller.signal);
      controller.abort();
      await assert.rejects(sleeping, CancelledError);
      // Far below the 60 s sleep, far above a slow machine's scheduling delay.
      assert.ok(Date.now() - startedMs < 30_000);
    });

    it('rejects at once when the signal is already aborted', async () => {
      await assert.rejects(realSleep(60_000, AbortSignal.abort()), CancelledError);
    });

    it('resolves after the delay', async () => {
      await realSleep(1, undefined);
    });
  });
});
