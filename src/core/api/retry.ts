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

/** Used when a 429 says neither `Retry-After` nor `retryAfter`. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 60_000;

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
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Whether a failed attempt may be repeated. Creates are not idempotent (a timed-out create can
 * still allocate a VM), so POST is repeated only after a 429, which guarantees nothing happened.
 */
export function isRetryable(method: HttpMethod, error: SpheronError, policy: RetryPolicy): boolean {
  if (error instanceof RateLimitError) {
    return error.retryAfterMs <= policy.maxRateLimitWaitMs;
  }
  if (method === 'POST') {
    return false;
  }
  return (
    (error instanceof ServerError && error.status >= 500) ||
    error instanceof NetworkError ||
    error instanceof TimeoutError
  );
}

/**
 * Delay before attempt `failedAttempt + 1`: the server's own delay after a 429, otherwise
 * exponential backoff with jitter in [half, full] of the step.
 */
export function retryDelayMs(
  failedAttempt: number,
  error: SpheronError,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (error instanceof RateLimitError) {
    return error.retryAfterMs;
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/**
 * The wait a 429 asks for, in ms: the `Retry-After` header (seconds or an HTTP date), else the
 * body's `retryAfter` (seconds), else the default.
 */
export function rateLimitDelayMs(header: string | undefined, bodyRetryAfter: unknown, nowMs: number): number {
  const fromHeader = header === undefined ? undefined : parseRetryAfterHeader(header, nowMs);
  if (fromHeader !== undefined) {
    return fromHeader;
  }
  if (typeof bodyRetryAfter === 'number' && Number.isFinite(bodyRetryAfter) && bodyRetryAfter >= 0) {
    return Math.round(bodyRetryAfter * 1000);
  }
  if (typeof bodyRetryAfter === 'string' && /^\d+(\.\d+)?$/.test(bodyRetryAfter.trim())) {
    return Math.round(Number(bodyRetryAfter) * 1000);
  }
  return DEFAULT_RATE_LIMIT_DELAY_MS;
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
