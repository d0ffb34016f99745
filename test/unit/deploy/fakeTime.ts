// A manual clock and timers for the scheduler tests: time moves only when the test says so.
import type { Clock } from '../../../src/core/forms/exactlyOnce';
import type { ScheduleStore, Timers } from '../../../src/core/deploy/terminationScheduler';

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class FakeTime implements Clock, Timers {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, PendingTimer>();

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { id, at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** Timers not yet fired, soonest first. */
  pending(): number[] {
    return [...this.#timers.values()].map((t) => t.at).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = [...this.#timers.values()]
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) {
        break;
      }
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = target;
  }
}

/** An in-memory Memento: values go through JSON like VS Code's storage. */
export class MemoryStore implements ScheduleStore {
  readonly values = new Map<string, string>();
  writes = 0;

  get(key: string): unknown {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  }

  update(key: string, value: unknown): Promise<void> {
    this.writes += 1;
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, JSON.stringify(value));
    }
    return Promise.resolve();
  }
}
