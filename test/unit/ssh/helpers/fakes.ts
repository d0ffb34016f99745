// Deterministic stand-ins for timers and child processes, for the tunnel state machine.
import type { SpawnedProcess, TunnelTimers } from '../../../../src/core/ssh/tunnel';

/** Lets pending promise callbacks run (one event-loop turn; not a timed sleep). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class ManualTimers implements TunnelTimers {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Delays (from now) of the timers still pending, sorted. */
  delays(): number[] {
    return [...this.pending.values()].map((entry) => entry.at - this.now).sort((a, b) => a - b);
  }

  /** Runs every timer due within `ms`, in order, letting promises settle in between. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (;;) {
      await settle();
      const due = [...this.pending.entries()]
        .filter(([, entry]) => entry.at <= target)
        .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) {
        break;
      }
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = target;
    await settle();
  }
}

export class FakeProcess implements SpawnedProcess {
  readonly signals: string[] = [];
  exited = false;
  /** Exit as soon as a signal arrives (a well-behaved ssh). */
  exitOnSignal = true;
  private readonly exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  private readonly stderrListeners: ((text: string) => void)[] = [];

  constructor(
    readonly pid: number,
    readonly args: readonly string[],
  ) {}

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (this.exited) {
      return false;
    }
    this.signals.push(signal);
    if (this.exitOnSignal || signal === 'SIGKILL') {
      this.exit(null, signal);
    }
    return true;
  }

  onExit(listener: (code: number | null, signal: string | null) => void): void {
    this.exitListeners.push(listener);
  }

  onStderr(listener: (text: string) => void): void {
    this.stderrListeners.push(listener);
  }

  writeStderr(text: string): void {
    this.stderrListeners.forEach((listener) => listener(text));
  }

  exit(code: number | null, signal: string | null = null): void {
    if (!this.exited) {
      this.exited = true;
      this.exitListeners.forEach((listener) => listener(code, signal));
    }
  }
}
