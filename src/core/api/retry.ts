// When to try a request again and how long to wait. Pure functions, so the policy is testable
// without a server.
import { CancelledError, NetworkError, RateLimitError, ServerError, TimeoutError } from './errors';
import type { SpheronError } from './errors';
import type { HttpMethod } from './transport';

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A 429 asking us to wait longer than this is not waited out: the RateLimitError is thrown. */
  readonly maxRateLimitWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRateLimitWaitMs: 60_000,
};

/**
 * A 429's `retryAfterMs` when it gave no usable wait (no `Retry-After`, no `retryAfter`, or 0):
 * callers must not read it as "retry now", nor wait a minute on a guess.
 */
export const NO_RATE_LIMIT_HINT_MS = 0;

/** Waits between attempts of a GET after 429s without a usable hint: 5 s, then 15 s. */
export const UNHINTED_RATE_LIMIT_BACKOFF_MS: readonly number[] = [5_000, 15_000];

export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

/** Resolves after `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    // `once` and the removal above only tidy up: a late abort rejects a settled promise, a no-op
    // (equivalent mutants when dropped).
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Whether a failed attempt may be repeated. Creates are not idempotent (a timed-out create can
 * still allocate a VM, and a proxy can answer 429 after the create was committed), so POST is
 * never repeated here: the exactly-once submission decides, after looking at the list.
 */
export function isRetryable(method: HttpMethod, error: SpheronError, policy: RetryPolicy): boolean {
  if (method === 'POST') {
    return false;
  }
  if (error instanceof RateLimitError) {
    return error.retryAfterMs <= policy.maxRateLimitWaitMs;
  }
  return (
    (error instanceof ServerError && error.status >= 500) ||
    error instanceof NetworkError ||
    error instanceof TimeoutError
  );
}

/**
 * Delay before attempt `failedAttempt + 1`: the server's own delay after a 429 (5 s, then 15 s
 * when it gave none), otherwise exponential backoff with jitter in [half, full] of the step.
 */
export function retryDelayMs(
  failedAttempt: number,
  error: SpheronError,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (error instanceof RateLimitError) {
    if (error.retryAfterMs > NO_RATE_LIMIT_HINT_MS) {
      return error.retryAfterMs;
    }
    const steps = UNHINTED_RATE_LIMIT_BACKOFF_MS;
    return steps[Math.min(failedAttempt, steps.length) - 1] ?? 0;
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The wait a 429 asks for, in ms: the `Retry-After` header (seconds or an HTTP date), else the
 * body's `retryAfter` (seconds), else NO_RATE_LIMIT_HINT_MS. A wait of 0 is no hint either.
 */
export function rateLimitDelayMs(header: string | undefined, bodyRetryAfter: unknown, nowMs: number): number {
  const fromHeader = header === undefined ? undefined : parseRetryAfterHeader(header, nowMs);
  // Equivalent mutants below: `!== undefined` and `typeof === 'number'` only narrow the type
  // (undefined > 0 is false; Number.isFinite does not coerce), and `>= 0` turns 0 into 0.
  if (fromHeader !== undefined && fromHeader > 0) {
    return fromHeader;
  }
  if (typeof bodyRetryAfter === 'number' && Number.isFinite(bodyRetryAfter) && bodyRetryAfter > 0) {
    return Math.round(bodyRetryAfter * 1000);
  }
  if (typeof bodyRetryAfter === 'string' && /^\d+(\.\d+)?$/.test(bodyRetryAfter.trim())) {
    return Math.round(Number(bodyRetryAfter) * 1000);
  }
  return NO_RATE_LIMIT_HINT_MS;
}

function parseRetryAfterHeader(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  const dateMs = Date.parse(text);
  if (Number.isNaN(dateMs) || !/[a-z]/i.test(text)) {
    return undefined;
  }
  return Math.max(0, dateMs - nowMs);
}
