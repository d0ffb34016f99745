// Fixed-window rate limits per client key on the simulated clock (like express-rate-limit's store:
// a client's window starts with its first request and resets `windowSeconds` later).

interface Window {
  startMs: number;
  count: number;
}

export type RateLimitDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  /** Counts one request for `client` in `bucket`; a limit of 0 disables the bucket. */
  hit(
    bucket: string,
    client: string,
    limit: number,
    windowSeconds: number,
    nowMs: number,
  ): RateLimitDecision {
    if (limit <= 0) {
      return { allowed: true };
    }
    const key = `${bucket}\u0000${client}`;
    const windowMs = windowSeconds * 1000;
    let window = this.windows.get(key);
    if (!window || nowMs >= window.startMs + windowMs) {
      window = { startMs: nowMs, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= limit) {
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.startMs + windowMs - nowMs) / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}
