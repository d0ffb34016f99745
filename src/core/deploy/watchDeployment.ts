// Watching a new deployment from `deploying` until it runs (or fails), no faster than every 10 s.
// The deployment is read from the Instances list the explorer polls anyway (deploymentFromList):
// one request feeds both, since the rate limit (100 / 15 min / IP) is shared by everything.
import { AuthError, NotFoundError, RateLimitError, isCancellation } from '../api/errors';
import type { BackgroundBudget } from '../api/requestBudget';
import type { Deployment } from '../domain/types';
import type { RequestOptions } from '../api/spheronApi';
import { isEnded } from '../model/classify';
import { formatUsd } from '../model/format';

export const MIN_WATCH_INTERVAL_MS = 10_000;
/**
 * A list this fresh serves the watch as it is: the Instances poller lists every 15 s while
 * something deploys, so with the views visible the watch sends no request of its own.
 */
export const WATCH_LIST_MAX_AGE_MS = 20_000;
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
  /**
   * Changes of the list `getDeployment` reads: each wakes the watch to read it again at once, so
   * the progress says "running" when the Instances view does, not up to an interval later.
   */
  readonly changes?: (listener: () => void) => { dispose(): void };
}

/** Sleeps `ms`, or less when `changes` fires; rejects only when `signal` aborts. */
async function napUntilChanged(options: WatchDeploymentOptions, ms: number): Promise<void> {
  if (!options.changes) {
    return options.sleep(ms, options.signal);
  }
  const nap = new AbortController();
  const stop = () => nap.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  const subscription = options.changes(stop);
  try {
    await options.sleep(ms, nap.signal);
  } catch (error) {
    if (options.signal.aborted) {
      throw error;
    }
  } finally {
    subscription.dispose();
    options.signal.removeEventListener('abort', stop);
  }
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
      await napUntilChanged(options, wait);
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

/** The explorer's list of deployments and how to refresh it (through its poller). */
export interface DeploymentListSource {
  readonly state: () => {
    readonly value: readonly Deployment[] | undefined;
    readonly fetchedAtMs: number | undefined;
    readonly error: unknown;
  };
  /** Refreshes the list now; joins a refresh in flight. Never rejects. */
  readonly refresh: () => Promise<void>;
  /** For a deployment the list does not show (another team, or not listed yet). */
  readonly getDeployment: (id: string, options?: RequestOptions) => Promise<Deployment>;
  readonly now: () => number;
  /** A list younger than this is used as it is. */
  readonly maxAgeMs: number;
  /** Watching is background work: while the budget says wait, the last list is used. */
  readonly budget?: BackgroundBudget;
}

/**
 * `getDeployment` for watchDeployment, served by the Instances list: the list is refreshed only
 * when it is older than `maxAgeMs`, so while the views poll it the watch sends nothing of its own.
 */
export function deploymentFromList(
  source: DeploymentListSource,
): (id: string, options?: RequestOptions) => Promise<Deployment> {
  return async (id, options) => {
    const fetchedAtMs = source.state().fetchedAtMs;
    const stale = fetchedAtMs === undefined || source.now() - fetchedAtMs >= source.maxAgeMs;
    if (stale && (fetchedAtMs === undefined || (source.budget?.backgroundWaitMs() ?? 0) === 0)) {
      await source.refresh();
    }
    const state = source.state();
    if (state.value === undefined && state.error !== undefined) {
      throw state.error instanceof Error ? state.error : new Error('The deployments could not be listed.');
    }
    return state.value?.find((deployment) => deployment.id === id) ?? source.getDeployment(id, options);
  };
}

export const STOP_WATCHING_ACTION = 'Stop Watching';
export const CANCEL_DEPLOYMENT_ACTION = 'Cancel Deployment…';

/**
 * The notification beside a deploy's progress. VS Code labels a progress's own button "Cancel",
 * which would read as cancelling the deployment; so the progress has none, and this message's
 * buttons say what each does.
 */
export function deployingMessage(
  name: string,
  minimum: { readonly minutes: number; readonly charge: number } | undefined,
): string {
  const charge = minimum
    ? ` Cancelling still costs the minimum charge of ${formatUsd(minimum.charge)} (${minimum.minutes} min).`
    : ' Cancelling still costs Spheron’s minimum charge.';
  return `“${name}” is deploying and bills from now.${charge} ${STOP_WATCHING_ACTION} hides the progress; it keeps deploying.`;
}
