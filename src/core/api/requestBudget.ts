// One request budget for the extension. Spheron allows 100 requests per 15 minutes per IP, and
// every window of this machine shares that IP, so the count lives in storage they all share (the
// vscode layer passes globalState). Background work (polling, watching) stops at 80 and slows
// down well before; the rest is kept for what the user asks (terminate, create, rename), which
// the budget never refuses. After a 429, background work pauses until the server's wait is over.
import * as z from 'zod/mini';
import { UNHINTED_RATE_LIMIT_BACKOFF_MS } from './retry';

export const REQUEST_BUDGET_KEY = 'spheron.requestBudget';
export const BUDGET_WINDOW_MS = 15 * 60_000;
/** Background requests stop here; the contract's limit is 100 per window. */
export const BACKGROUND_LIMIT = 80;

export interface BudgetStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

const persistedSchema = z.object({
  version: z.literal(1),
  sentAtMs: z.array(z.number()),
  pausedUntilMs: z.number(),
});
type Persisted = z.output<typeof persistedSchema>;

/** What the HTTP client reports: every attempt it sends, and every 429 it gets. */
export interface RequestBudgetSink {
  record(): void;
  rateLimited(retryAfterMs: number): void;
}

/** What background work asks before it sends. */
export interface BackgroundBudget {
  /** 0 when background work may send now; otherwise how long to wait. */
  backgroundWaitMs(): number;
  /** How much to stretch poll intervals: 1 while the budget is mostly unspent, up to 4. */
  slowdown(): number;
}

export class RequestBudget implements RequestBudgetSink, BackgroundBudget {
  readonly #store: BudgetStore;
  readonly #now: () => number;

  constructor(store: BudgetStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  #read(): Persisted {
    const parsed = persistedSchema.safeParse(this.#store.get(REQUEST_BUDGET_KEY));
    const now = this.#now();
    const state = parsed.success ? parsed.data : { version: 1 as const, sentAtMs: [], pausedUntilMs: 0 };
    return { ...state, sentAtMs: state.sentAtMs.filter((at) => now - at < BUDGET_WINDOW_MS && at <= now) };
  }

  #write(state: Persisted): void {
    // Memento updates its value at once and persists later; a failed write only loses a count.
    Promise.resolve(this.#store.update(REQUEST_BUDGET_KEY, state)).catch(() => undefined);
  }

  /** Requests sent in the last 15 minutes by every window of this machine. */
  used(): number {
    return this.#read().sentAtMs.length;
  }

  record(): void {
    const state = this.#read();
    this.#write({ ...state, sentAtMs: [...state.sentAtMs, this.#now()].slice(-2 * BACKGROUND_LIMIT) });
  }

  rateLimited(retryAfterMs: number): void {
    const waitMs =
      retryAfterMs > 0 ? retryAfterMs : (UNHINTED_RATE_LIMIT_BACKOFF_MS.at(-1) ?? BUDGET_WINDOW_MS);
    const state = this.#read();
    this.#write({ ...state, pausedUntilMs: Math.max(state.pausedUntilMs, this.#now() + waitMs) });
  }

  backgroundWaitMs(): number {
    const state = this.#read();
    const now = this.#now();
    const paused = Math.max(0, state.pausedUntilMs - now);
    const sent = state.sentAtMs;
    // Below the limit again once enough of the oldest requests have left the window.
    const oldestToLeave = sent.length >= BACKGROUND_LIMIT ? sent[sent.length - BACKGROUND_LIMIT] : undefined;
    const full = oldestToLeave === undefined ? 0 : Math.max(1_000, oldestToLeave + BUDGET_WINDOW_MS - now);
    return Math.max(paused, full);
  }

  slowdown(): number {
    const used = this.used() / BACKGROUND_LIMIT;
    return used < 0.5 ? 1 : used < 0.75 ? 2 : 4;
  }
}
