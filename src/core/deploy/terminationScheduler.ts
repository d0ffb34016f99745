// "Terminate when allowed": Spheron refuses to terminate inside the minimum runtime (contract
// §5.2), so the user can ask us to do it as soon as it is allowed. The schedule is persisted
// (a Memento in the extension), so it survives a window reload: a new scheduler over the same
// store picks it up. Every VS Code window has its own scheduler over the same store, so the store
// is the truth: writes merge into what it holds, and a timer checks the store before acting, so a
// cancel in one window stops the termination in every window.
import * as z from 'zod/mini';
import { AuthError, CancelledError, MinimumRuntimeError, NotFoundError, RateLimitError } from '../api/errors';
import type { SpheronApi } from '../api/spheronApi';
import { systemClock } from '../forms/exactlyOnce';
import type { Clock, Disposable } from '../forms/exactlyOnce';

/** The part of a vscode.Memento we use. */
export interface ScheduleStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface ScheduledTermination {
  readonly deploymentId: string;
  /** For messages; the id is what counts. */
  readonly name: string | undefined;
  readonly dueAtMs: number;
  /** Failed tries since the last success-or-reschedule. */
  readonly attempts: number;
}

export type TerminationEvent =
  | { readonly type: 'scheduled'; readonly entry: ScheduledTermination }
  | { readonly type: 'rescheduled'; readonly entry: ScheduledTermination; readonly reason: string }
  | {
      readonly type: 'cancelled';
      readonly deploymentId: string;
      /** Cancelled, or carried out, by another window: it left the shared schedule. */
      readonly elsewhere?: boolean;
    }
  | {
      readonly type: 'done';
      readonly deploymentId: string;
      readonly name: string | undefined;
      readonly alreadyTerminated: boolean;
    }
  | {
      readonly type: 'failed';
      readonly deploymentId: string;
      readonly name: string | undefined;
      readonly message: string;
    };

export type TerminationApi = Pick<SpheronApi, 'canTerminate' | 'terminateDeployment'>;

export interface TerminationSchedulerOptions {
  readonly api: TerminationApi;
  readonly store: ScheduleStore;
  readonly timers?: Timers;
  readonly clock?: Clock;
  /** Delays before the 2nd, 3rd, … try after an unexpected error; its length is the retry budget. */
  readonly retryDelaysMs?: readonly number[];
  /** Added to Spheron's "time remaining" so we do not arrive a second too early. */
  readonly marginMs?: number;
  readonly storageKey?: string;
}

export const DEFAULT_STORAGE_KEY = 'spheron.terminationSchedule';
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [30_000, 120_000, 300_000];
const DEFAULT_MARGIN_MS = 5_000;
/** setTimeout fires at once for delays above 2^31-1 ms; longer waits are re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

const persistedSchema = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({
      deploymentId: z.string().check(z.minLength(1)),
      name: z.optional(z.string()),
      dueAtMs: z.number().check(z.refine(Number.isFinite)),
      attempts: z.number().check(z.int(), z.nonnegative()),
    }),
  ),
});

interface LiveEntry {
  data: ScheduledTermination;
  timer: unknown;
}

export class TerminationScheduler implements Disposable {
  readonly #api: TerminationApi;
  readonly #store: ScheduleStore;
  readonly #timers: Timers;
  readonly #clock: Clock;
  readonly #retryDelaysMs: readonly number[];
  readonly #marginMs: number;
  readonly #key: string;
  readonly #entries = new Map<string, LiveEntry>();
  /** The run in flight per deployment (settles after its bookkeeping). */
  readonly #running = new Map<string, Promise<void>>();
  readonly #listeners = new Set<(event: TerminationEvent) => void>();
  #writes: Promise<void> = Promise.resolve();
  #disposed = false;

  /** Reads the persisted schedule and arms a timer for each entry (overdue ones run at once). */
  constructor(options: TerminationSchedulerOptions) {
    this.#api = options.api;
    this.#store = options.store;
    this.#timers = options.timers ?? systemTimers;
    this.#clock = options.clock ?? systemClock;
    this.#retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.#marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
    this.#key = options.storageKey ?? DEFAULT_STORAGE_KEY;
    for (const entry of this.#readStored().values()) {
      this.#put(entry);
    }
  }

  onDidChange(listener: (event: TerminationEvent) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** Everything scheduled, soonest first. */
  scheduled(): ScheduledTermination[] {
    return [...this.#entries.values()].map((entry) => entry.data).sort((a, b) => a.dueAtMs - b.dueAtMs);
  }

  isScheduled(deploymentId: string): boolean {
    return this.#entries.has(deploymentId);
  }

  /** Terminates the deployment at `earliestAtMs` or as soon after as Spheron allows. Replaces an earlier schedule. */
  async schedule(deploymentId: string, earliestAtMs: number, name?: string): Promise<void> {
    this.#assertLive();
    const entry: ScheduledTermination = { deploymentId, name, dueAtMs: earliestAtMs, attempts: 0 };
    this.#put(entry);
    this.#emit({ type: 'scheduled', entry });
    await this.#persist({ upsert: entry });
  }

  /** Cancels a pending termination; false when none was scheduled. */
  async cancel(deploymentId: string): Promise<boolean> {
    const live = this.#entries.get(deploymentId);
    if (!live) {
      return false;
    }
    this.#timers.clearTimeout(live.timer);
    this.#entries.delete(deploymentId);
    this.#emit({ type: 'cancelled', deploymentId });
    await this.#persist({ remove: deploymentId });
    return true;
  }

  /** Resolves when every store write issued so far has finished. */
  flush(): Promise<void> {
    return this.#writes;
  }

  /** Stops the timers; the persisted schedule stays for the next scheduler. */
  dispose(): void {
    this.#disposed = true;
    for (const live of this.#entries.values()) {
      this.#timers.clearTimeout(live.timer);
    }
    this.#entries.clear();
    this.#listeners.clear();
  }

  #assertLive(): void {
    if (this.#disposed) {
      throw new Error('The termination scheduler has been disposed.');
    }
  }

  #put(data: ScheduledTermination): void {
    const previous = this.#entries.get(data.deploymentId);
    if (previous) {
      this.#timers.clearTimeout(previous.timer);
    }
    const live: LiveEntry = { data, timer: undefined };
    this.#entries.set(data.deploymentId, live);
    this.#arm(live);
  }

  #arm(live: LiveEntry): void {
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, live.data.dueAtMs - this.#clock.now()));
    live.timer = this.#timers.setTimeout(() => {
      if (this.#entries.get(live.data.deploymentId) !== live) {
        return;
      }
      if (this.#clock.now() < live.data.dueAtMs) {
        this.#arm(live);
        return;
      }
      void this.#runIfStillScheduled(live);
    }, delay);
  }

  /** Runs the entry unless another window cancelled it, carried it out, or moved it later. */
  async #runIfStillScheduled(live: LiveEntry): Promise<void> {
    // Our own pending writes first, so the store shows this window's latest word too.
    await this.#writes.catch(() => undefined);
    const { deploymentId } = live.data;
    if (this.#entries.get(deploymentId) !== live || this.#disposed) {
      return;
    }
    const stored = this.#readStored().get(deploymentId);
    if (!stored) {
      this.#entries.delete(deploymentId);
      this.#emit({ type: 'cancelled', deploymentId, elsewhere: true });
      return;
    }
    if (stored.dueAtMs > live.data.dueAtMs) {
      this.#put(stored);
      return;
    }
    await this.#run(live);
  }

  #run(live: LiveEntry): Promise<void> {
    const { deploymentId } = live.data;
    if (this.#disposed) {
      return Promise.resolve();
    }
    const inFlight = this.#running.get(deploymentId);
    if (inFlight) {
      // An earlier entry's run is still out (the user scheduled again meanwhile): try this entry
      // once that run has finished, rather than dropping it and leaving it pending for ever.
      void inFlight.then(() => {
        if (this.#entries.get(deploymentId) === live && !this.#disposed) {
          this.#arm(live);
        }
      });
      return inFlight;
    }
    const run = this.#attempt(live).finally(() => this.#running.delete(deploymentId));
    this.#running.set(deploymentId, run);
    return run;
  }

  async #attempt(live: LiveEntry): Promise<void> {
    const { deploymentId, name } = live.data;
    const current = () => this.#entries.get(deploymentId) === live && !this.#disposed;
    try {
      const allowed = await this.#api.canTerminate(deploymentId);
      if (!current()) {
        return;
      }
      if (!allowed.canTerminate && allowed.timeRemainingMinutes > 0) {
        await this.#reschedule(
          live,
          allowed.timeRemainingMinutes,
          allowed.reason ?? 'Minimum runtime not met',
        );
        return;
      }
      const result = await this.#api.terminateDeployment(deploymentId);
      this.#entries.delete(deploymentId);
      this.#emit({ type: 'done', deploymentId, name, alreadyTerminated: result.alreadyTerminated });
      await this.#persist({ remove: deploymentId });
    } catch (error) {
      if (current()) {
        await this.#handleError(live, error);
      }
    }
  }

  async #reschedule(live: LiveEntry, minutesRemaining: number, reason: string): Promise<void> {
    const dueAtMs = this.#clock.now() + Math.max(1, Math.ceil(minutesRemaining)) * 60_000 + this.#marginMs;
    const entry: ScheduledTermination = { ...live.data, dueAtMs, attempts: 0 };
    this.#put(entry);
    this.#emit({ type: 'rescheduled', entry, reason });
    await this.#persist({ upsert: entry });
  }

  async #handleError(live: LiveEntry, error: unknown): Promise<void> {
    const { deploymentId, name } = live.data;
    if (error instanceof MinimumRuntimeError) {
      await this.#reschedule(live, error.timeRemaining, error.message);
      return;
    }
    if (error instanceof CancelledError) {
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const attempts = live.data.attempts + 1;
    const fatal = error instanceof AuthError || error instanceof NotFoundError;
    if (fatal || attempts > this.#retryDelaysMs.length) {
      this.#entries.delete(deploymentId);
      this.#emit({
        type: 'failed',
        deploymentId,
        name,
        message: `Could not terminate ${name ? `"${name}"` : deploymentId}: ${message}`,
      });
      await this.#persist({ remove: deploymentId });
      return;
    }
    const delay =
      error instanceof RateLimitError
        ? Math.max(error.retryAfterMs, this.#retryDelaysMs[attempts - 1] ?? 0)
        : (this.#retryDelaysMs[attempts - 1] ?? 0);
    const entry: ScheduledTermination = { ...live.data, dueAtMs: this.#clock.now() + delay, attempts };
    this.#put(entry);
    this.#emit({ type: 'rescheduled', entry, reason: message });
    await this.#persist({ upsert: entry });
  }

  /** The schedule as the store holds it now (other windows write it too); empty when unreadable. */
  #readStored(): Map<string, ScheduledTermination> {
    const parsed = persistedSchema.safeParse(this.#store.get(this.#key));
    const entries = parsed.success ? parsed.data.entries : [];
    return new Map(entries.map((entry) => [entry.deploymentId, { ...entry, name: entry.name }]));
  }

  /** Applies one change to what the store holds, so another window's entries survive our write. */
  #persist(change: { readonly upsert: ScheduledTermination } | { readonly remove: string }): Promise<void> {
    if (this.#disposed) {
      // A disposed scheduler must not overwrite what its successor writes.
      return this.#writes;
    }
    const write = () => {
      const stored = this.#readStored();
      if ('remove' in change) {
        stored.delete(change.remove);
      } else {
        stored.set(change.upsert.deploymentId, change.upsert);
      }
      const snapshot = {
        version: 1 as const,
        entries: [...stored.values()]
          .sort((a, b) => a.dueAtMs - b.dueAtMs)
          .map((entry) => ({
            deploymentId: entry.deploymentId,
            ...(entry.name !== undefined ? { name: entry.name } : {}),
            dueAtMs: entry.dueAtMs,
            attempts: entry.attempts,
          })),
      };
      return this.#store.update(this.#key, snapshot);
    };
    // Chained, so this window's changes land in the order they were made.
    this.#writes = this.#writes.then(write, write);
    return this.#writes;
  }

  #emit(event: TerminationEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (UI) must not stop the schedule.
      }
    }
  }
}
