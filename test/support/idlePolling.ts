// Runs the explorer's real polling (ExplorerPolling + ExplorerData + SpheronClient) against a
// simulator for a stretch of simulated time and counts the HTTP requests it made. Timers run on a
// fake clock advanced in step with the simulator's clock, so 15 minutes take about a second.
import { SpheronClient } from '../../src/core/api/client';
import { ExplorerData } from '../../src/core/explorer/explorerData';
import { ExplorerPolling, type ExplorerVisibility } from '../../src/core/explorer/explorerPolling';
import type { PollerClock, PollerTimers } from '../../src/core/model/polling';
import type { Simulator } from '../simulator';

interface Scheduled {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/** Timers that fire only when `advanceTo` moves the clock past them. */
export class SteppedClock implements PollerClock, PollerTimers {
  private nowMs: number;
  private nextId = 1;
  private queue: Scheduled[] = [];

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.queue.push({ id, dueMs: this.nowMs + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((entry) => entry.id !== handle);
  }

  /** Fires the earliest timer due by `targetMs` and returns true, or moves to `targetMs` and returns false. */
  fireNext(targetMs: number): boolean {
    const next = this.queue.reduce<Scheduled | undefined>(
      (earliest, entry) => (!earliest || entry.dueMs < earliest.dueMs ? entry : earliest),
      undefined,
    );
    if (!next || next.dueMs > targetMs) {
      this.nowMs = targetMs;
      return false;
    }
    this.queue = this.queue.filter((entry) => entry.id !== next.id);
    this.nowMs = Math.max(this.nowMs, next.dueMs);
    next.callback();
    return true;
  }
}

export interface IdlePollingResult {
  /** Requests the simulator saw during the measured stretch. */
  readonly requests: number;
  readonly byRoute: Readonly<Record<string, number>>;
}

async function untilIdle(polling: ExplorerPolling, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (Object.values(polling.pollers).every((poller) => !poller.state.inFlight)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error('polling did not settle');
    }
    await new Promise<void>((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Makes the views `visibility` (as a user opening the sidebar), lets the first load finish, then
 * counts the requests of the next `minutes` simulated minutes.
 */
export async function measureIdlePolling(
  sim: Simulator,
  visibility: ExplorerVisibility,
  minutes = 15,
): Promise<IdlePollingResult> {
  const clock = new SteppedClock(sim.nowMs());
  const api = new SpheronClient({
    baseUrl: sim.url,
    getApiKey: () => Promise.resolve(sim.apiKey),
    userAgent: 'spheron-vscode/bench',
  });
  const data = new ExplorerData({ api, currentTeam: (balance) => balance.teams[0], now: () => clock.now() });
  const polling = new ExplorerPolling({
    data,
    signedIn: () => true,
    now: () => clock.now(),
    scheduledTerminations: () => new Map(),
    timers: clock,
    clock,
  });
  try {
    polling.setVisibility(visibility);
    // The first load when the views open is not idle traffic: let it finish, then count.
    clock.fireNext(clock.now());
    await untilIdle(polling);
    while (clock.fireNext(clock.now())) {
      await untilIdle(polling);
    }
    sim.resetRequestLog();
    const start = clock.now();
    const end = start + minutes * 60_000;
    for (;;) {
      const before = clock.now();
      const fired = clock.fireNext(end);
      const moved = clock.now() - before;
      if (moved > 0) {
        sim.advanceClock(moved / 1000);
      }
      if (!fired) {
        break;
      }
      await untilIdle(polling);
    }
    const log = sim.requestLog();
    return { requests: log.total, byRoute: log.byRoute };
  } finally {
    polling.dispose();
    data.dispose();
    await api.dispose();
  }
}
