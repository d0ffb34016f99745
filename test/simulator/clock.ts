// The simulated clock: the wall clock plus an offset that tests move forward.

export class SimClock {
  private offsetMs = 0;

  constructor(private readonly wallClock: () => number = Date.now) {}

  nowMs(): number {
    return this.wallClock() + this.offsetMs;
  }

  /** Jumps forward; time never runs backwards, except through reset(). */
  advance(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError('seconds must be a non-negative number');
    }
    this.offsetMs += seconds * 1000;
    return this.nowMs();
  }

  /** Back to the wall clock: a reset world starts now, as the extension's clock sees it. */
  reset(): void {
    this.offsetMs = 0;
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
