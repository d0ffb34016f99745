import { isCancellation } from '../api/errors';
import { Emitter } from './events';

export interface ResourceState<T> {
  /** The last value loaded successfully; kept after a failed refresh so views can show it as stale. */
  readonly value: T | undefined;
  readonly fetchedAtMs: number | undefined;
  /** The failure of the latest refresh, cleared by the next success. */
  readonly error: unknown;
  readonly loading: boolean;
}

/**
 * One piece of remote data with single-flight refreshes. A refresh requested while one is in
 * flight joins it; `reset()` (sign-out, team switch) aborts the flight and drops its result so
 * data from the previous identity never shows up.
 */
export class Resource<T> {
  private current: ResourceState<T> = {
    value: undefined,
    fetchedAtMs: undefined,
    error: undefined,
    loading: false,
  };
  private inFlight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private generation = 0;
  private readonly changed = new Emitter<ResourceState<T>>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly load: (signal: AbortSignal) => Promise<T>,
    private readonly now: () => number,
  ) {}

  get state(): ResourceState<T> {
    return this.current;
  }

  /** Never rejects: failures land in `state.error`. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      return this.inFlight;
    }
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.update({ ...this.current, loading: true });
    const flight = this.load(controller.signal).then(
      (value) => {
        if (generation === this.generation) {
          this.update({ value, fetchedAtMs: this.now(), error: undefined, loading: false });
        }
      },
      (error: unknown) => {
        if (generation !== this.generation) {
          return;
        }
        if (isCancellation(error)) {
          this.update({ ...this.current, loading: false });
        } else {
          this.update({ ...this.current, error, loading: false });
        }
      },
    );
    this.inFlight = flight.finally(() => {
      if (this.inFlight === tracked) {
        this.inFlight = undefined;
        this.controller = undefined;
      }
    });
    const tracked = this.inFlight;
    return tracked;
  }

  /** Replaces the value after a local change the server has confirmed (e.g. a rename). */
  set(value: T): void {
    this.update({ value, fetchedAtMs: this.now(), error: undefined, loading: this.current.loading });
  }

  reset(): void {
    this.generation++;
    this.controller?.abort();
    this.controller = undefined;
    this.inFlight = undefined;
    this.update({ value: undefined, fetchedAtMs: undefined, error: undefined, loading: false });
  }

  private update(next: ResourceState<T>): void {
    this.current = next;
    this.changed.fire(next);
  }

  dispose(): void {
    this.reset();
    this.changed.dispose();
  }
}
