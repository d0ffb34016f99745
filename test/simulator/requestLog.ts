// Every public API request (admin routes excluded), counted by route pattern for benchmarks.
import type { RequestLogEntry, RequestLogSnapshot } from './types';

/** Entries kept in full; counts stay exact beyond it. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private total = 0;
  private byRoute = new Map<string, number>();
  private entries: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.total++;
    this.byRoute.set(entry.route, (this.byRoute.get(entry.route) ?? 0) + 1);
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.shift();
    }
  }

  snapshot(): RequestLogSnapshot {
    return { total: this.total, byRoute: Object.fromEntries(this.byRoute), entries: [...this.entries] };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = new Map();
    this.entries = [];
  }
}
