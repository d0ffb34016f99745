// When to ask the API again. One Poller per resource (instances, volumes, balance). It polls only
// while its view is visible, never overlaps itself, polls fast only while something is changing,
// and backs off on errors. Timers and clock are injected so tests run on a fake clock.
//
// Budget (contract §6.3: plan for 100 requests / 15 min / IP; poll no faster than every 10 s):
// with the views visible and every instance running, POLL_POLICIES give instances every 60 s
// (15 per 15 min) plus volumes and balance every 5 min (3 + 3) = 21 requests, under 30.
// Hidden: none. All of it is background work: it yields to the shared request budget
// (api/requestBudget.ts), stretching its intervals as the budget empties and pausing after a 429.

import { RateLimitError, isCancellation } from '../api/errors';
import type { BackgroundBudget } from '../api/requestBudget';

/** What one refresh tells the poller about the next one. */
export interface PollResult {
  /** Something is changing (deploying, a termination due soon): poll at the fast interval. */
  readonly transitional: boolean;
  /** Poll again no later than this (e.g. just before a scheduled termination); floored at 10 s. */
  readonly wakeInMs?: number;
}

/** `setTimeout`/`clearTimeout`, injectable. */
export interface PollerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerClock {
  now(): number;
}

export interface PollIntervals {
  /** While transitional. Default 15 s, never below 10 s. */
  readonly fastIntervalMs?: number;
  /** Otherwise. Default 60 s, never below the fast interval. */
  readonly slowIntervalMs?: number;
  /** Ceiling of the error backoff. Default 5 min. */
  readonly maxBackoffMs?: number;
}

export interface PollerOptions extends PollIntervals {
  /** Loads and publishes fresh data. A rejection counts as a failure (cancellation does not). */
  readonly refresh: () => Promise<PollResult | void>;
  readonly timers?: PollerTimers;
  readonly clock?: PollerClock;
  /** Told about each failed refresh, for the log. Must not throw; if it does, it is ignored. */
  readonly onError?: (error: unknown) => void;
  /** Automatic refreshes wait for it; refreshNow() (the user, a create) does not. */
  readonly budget?: BackgroundBudget;
}

/** The API manual asks for no polling faster than every 10 s. */
export const MIN_POLL_INTERVAL_MS = 10_000;
export const DEFAULT_FAST_INTERVAL_MS = 15_000;
export const DEFAULT_SLOW_INTERVAL_MS = 60_000;
export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;

/** Intervals per resource; see the budget at the top of this file. */
export const POLL_POLICIES = {
  instances: { fastIntervalMs: 15_000, slowIntervalMs: 60_000 },
  volumes: { fastIntervalMs: 30_000, slowIntervalMs: 5 * 60_000 },
  balance: { fastIntervalMs: 60_000, slowIntervalMs: 5 * 60_000 },
} as const satisfies Record<string, PollIntervals>;

const SYSTEM_TIMERS: PollerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const SYSTEM_CLOCK: PollerClock = { now: () => Date.now() };

export interface PollerState {
  readonly visible: boolean;
  readonly inFlight: boolean;
  readonly consecutiveFailures: number;
  /** Clock time of the last successful refresh. */
  readonly lastSuccessMs: number | undefined;
  /** Clock time the next automatic refresh is due, when one is scheduled. */
  readonly nextDueMs: number | undefined;
}

interface Deferred {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

export class Poller {
  private readonly fastMs: number;
  private readonly slowMs: number;
  private readonly maxBackoffMs: number;
  private readonly timers: PollerTimers;
  private readonly clock: PollerClock;

  private visible = false;
  private disposed = false;
  private timer: { readonly handle: unknown; readonly dueMs: number } | undefined;
  private flight: Promise<void> | undefined;
  /** A refreshNow() that arrived during a flight: one more refresh right after it. */
  private followUp: Deferred | undefined;
  private lastResult: PollResult = { transitional: false };
  private failures = 0;
  private lastError: unknown;
  private lastCompletedMs: number | undefined;
  private lastSuccessMs: number | undefined;

  constructor(private readonly options: PollerOptions) {
    this.fastMs = Math.max(MIN_POLL_INTERVAL_MS, options.fastIntervalMs ?? DEFAULT_FAST_INTERVAL_MS);
    this.slowMs = Math.max(this.fastMs, options.slowIntervalMs ?? DEFAULT_SLOW_INTERVAL_MS);
    this.maxBackoffMs = Math.max(this.slowMs, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.timers = options.timers ?? SYSTEM_TIMERS;
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  get state(): PollerState {
    return {
      visible: this.visible,
      inFlight: this.flight !== undefined,
      consecutiveFailures: this.failures,
      lastSuccessMs: this.lastSuccessMs,
      nextDueMs: this.timer?.dueMs,
    };
  }

  /**
   * Starts or stops automatic polling. Becoming visible refreshes at once when the data is
   * older than the current interval, otherwise when it comes due.
   */
  setVisible(visible: boolean): void {
    if (this.disposed || visible === this.visible) {
      return;
    }
    this.visible = visible;
    if (!visible) {
      this.cancelTimer();
      return;
    }
    if (this.flight) {
      return;
    }
    const now = this.clock.now();
    const dueMs = this.lastCompletedMs === undefined ? now : this.lastCompletedMs + this.currentDelayMs();
    this.schedule(Math.max(0, dueMs - now));
  }

  /**
   * Refreshes now, visible or not. During a flight, requests coalesce into one follow-up
   * refresh after it. Resolves when the refresh that covers this request has finished; never
   * rejects.
   */
  refreshNow(): Promise<void> {
    if (this.disposed) {
      return Promise.resolve();
    }
    if (this.flight) {
      this.followUp ??= deferred();
      return this.followUp.promise;
    }
    this.cancelTimer();
    return this.start();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer();
    this.followUp?.resolve();
    this.followUp = undefined;
  }

  /** The wait before the next automatic refresh, given what the last ones said. */
  currentDelayMs(): number {
    const base = (this.lastResult.transitional ? this.fastMs : this.slowMs) * this.slowdown();
    if (this.failures > 0) {
      const backoff = Math.min(this.maxBackoffMs, base * 2 ** this.failures);
      return this.lastError instanceof RateLimitError
        ? Math.max(backoff, this.lastError.retryAfterMs)
        : backoff;
    }
    const wake = this.lastResult.wakeInMs;
    return wake === undefined ? base : Math.min(base, Math.max(MIN_POLL_INTERVAL_MS, wake));
  }

  private start(): Promise<void> {
    const flight = this.run();
    this.flight = flight;
    return flight;
  }

  private async run(): Promise<void> {
    try {
      const result = await this.options.refresh();
      this.lastResult = result ?? { transitional: false };
      this.failures = 0;
      this.lastError = undefined;
      this.lastSuccessMs = this.clock.now();
    } catch (error) {
      if (!isCancellation(error)) {
        this.failures += 1;
        this.lastError = error;
        this.report(error);
      }
    }
    this.lastCompletedMs = this.clock.now();
    this.flight = undefined;
    if (this.disposed) {
      return;
    }
    const followUp = this.followUp;
    if (followUp) {
      this.followUp = undefined;
      void this.start().then(followUp.resolve);
      return;
    }
    if (this.visible) {
      this.schedule(this.currentDelayMs());
    }
  }

  private slowdown(): number {
    try {
      return Math.max(1, this.options.budget?.slowdown() ?? 1);
    } catch {
      return 1;
    }
  }

  private budgetWaitMs(): number {
    try {
      return this.options.budget?.backgroundWaitMs() ?? 0;
    } catch {
      return 0;
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error);
    } catch {
      // A logging failure must not stop polling.
    }
  }

  private schedule(delayMs: number): void {
    this.cancelTimer();
    const handle = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (!this.visible || this.disposed || this.flight) {
        return;
      }
      const waitMs = this.budgetWaitMs();
      if (waitMs > 0) {
        this.schedule(waitMs);
        return;
      }
      void this.start();
    }, delayMs);
    this.timer = { handle, dueMs: this.clock.now() + delayMs };
  }

  private cancelTimer(): void {
    if (this.timer) {
      this.timers.clearTimeout(this.timer.handle);
      this.timer = undefined;
    }
  }
}
