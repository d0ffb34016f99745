// Watching a new deployment from `deploying` until it runs (or fails). Polls GET
// /api/deployments/{id} no faster than every 10 s: the explorer polls the list too, and the
// rate limit is per key.
import { AuthError, NotFoundError, RateLimitError, isCancellation } from '../api/errors';
import type { Deployment, RequestOptions } from '../api/types';
import { isEnded } from '../model/classify';

export const MIN_WATCH_INTERVAL_MS = 10_000;
/** Give up watching (not the deployment) after this long; clusters can take a while. */
export const DEFAULT_WATCH_LIMIT_MS = 2 * 60 * 60_000;
/** Consecutive failed polls before the watch reports the error. */
export const DEFAULT_MAX_POLL_ERRORS = 5;

export type WatchOutcome =
  | { readonly kind: 'running'; readonly deployment: Deployment }
  | { readonly kind: 'failed'; readonly deployment: Deployment }
  /** Terminated, reclaimed or stopped before it ever ran. */
  | { readonly kind: 'ended'; readonly deployment: Deployment }
  | { readonly kind: 'gone' }
  | { readonly kind: 'timeout'; readonly deployment: Deployment | undefined }
  | { readonly kind: 'error'; readonly error: unknown }
  /** The user stopped watching; the deployment carries on. */
  | { readonly kind: 'cancelled' };

export interface WatchDeploymentOptions {
  readonly id: string;
  readonly getDeployment: (id: string, options?: RequestOptions) => Promise<Deployment>;
  /** Resolves after `ms`, rejects when the signal aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now: () => number;
  readonly signal: AbortSignal;
  /** Raised to MIN_WATCH_INTERVAL_MS when lower. */
  readonly intervalMs?: number;
  readonly limitMs?: number;
  readonly maxPollErrors?: number;
  /** Every successful poll, for progress text. */
  readonly onPoll?: (deployment: Deployment) => void;
}

export function watchIntervalMs(requested: number | undefined): number {
  return Math.max(MIN_WATCH_INTERVAL_MS, requested ?? MIN_WATCH_INTERVAL_MS);
}

/** Polls until the deployment settles. Never rejects. */
export async function watchDeployment(options: WatchDeploymentOptions): Promise<WatchOutcome> {
  const interval = watchIntervalMs(options.intervalMs);
  const limit = options.limitMs ?? DEFAULT_WATCH_LIMIT_MS;
  const maxErrors = options.maxPollErrors ?? DEFAULT_MAX_POLL_ERRORS;
  const startedAt = options.now();
  let last: Deployment | undefined;
  let errors = 0;
  let wait = interval;
  for (;;) {
    try {
      await options.sleep(wait, options.signal);
    } catch {
      return { kind: 'cancelled' };
    }
    if (options.signal.aborted) {
      return { kind: 'cancelled' };
    }
    wait = interval;
    try {
      last = await options.getDeployment(options.id, { signal: options.signal });
      errors = 0;
    } catch (error) {
      if (options.signal.aborted || isCancellation(error)) {
        return { kind: 'cancelled' };
      }
      if (error instanceof NotFoundError) {
        return { kind: 'gone' };
      }
      errors += 1;
      if (error instanceof AuthError || errors >= maxErrors) {
        return { kind: 'error', error };
      }
      if (error instanceof RateLimitError) {
        wait = Math.max(interval, error.retryAfterMs);
      }
      continue;
    }
    options.onPoll?.(last);
    if (last.status === 'running') {
      return { kind: 'running', deployment: last };
    }
    if (last.status === 'failed') {
      return { kind: 'failed', deployment: last };
    }
    if (isEnded(last.status) || last.status === 'stopped') {
      return { kind: 'ended', deployment: last };
    }
    if (options.now() - startedAt >= limit) {
      return { kind: 'timeout', deployment: last };
    }
  }
}

/** A sleep on real timers that an AbortSignal interrupts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
