// A fake clock and timer queue for the Poller: time only moves when a test advances it, and
// every promise chain a timer starts is allowed to settle before time moves on.

import type { PollerClock, PollerTimers } from '../../../src/core/model/polling';

interface Scheduled {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/** Lets every pending promise continuation run (setImmediate runs after the microtask queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export class FakeClock implements PollerClock, PollerTimers {
  private nowMs: number;
  private nextId = 1;
  private queue: Scheduled[] = [];

  constructor(startMs = 0) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.queue.push({ id, dueMs: this.nowMs + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((entry) => entry.id !== handle);
  }

  get pendingTimers(): number {
    return this.queue.length;
  }

  /** Runs timers due within `ms`, in due order, settling promises after each; then sets the time. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    await settle();
    for (;;) {
      const next = this.queue.reduce<Scheduled | undefined>(
        (earliest, entry) => (!earliest || entry.dueMs < earliest.dueMs ? entry : earliest),
        undefined,
      );
      if (!next || next.dueMs > target) {
        break;
      }
      this.queue = this.queue.filter((entry) => entry.id !== next.id);
      this.nowMs = next.dueMs;
      next.callback();
      await settle();
    }
    this.nowMs = target;
  }
}

/** A promise the test resolves or rejects by hand. */
export class Gate<T> {
  readonly promise: Promise<T>;
  resolve: (value: T) => void = () => undefined;
  reject: (error: unknown) => void = () => undefined;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}
