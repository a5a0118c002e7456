const WINDOW_MS = 60_000;
/** Beyond this many tracked clients, finished windows are swept before a new one is added. */
const SWEEP_AT = 10_000;

/**
 * A budget per client per minute (fixed windows, per process). One type, one
 * instance per budget: requests to the public view per address (a shopper
 * scans a QR code a few times; a scraper walking trace codes hits the limit),
 * failed authentications per address (FailedAuthLimit), and LOT_NOT_FOUND
 * answers to writes per key (LotProbeBudget).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one; null when within the budget, else the seconds until the client may try again. */
  hit(client: string, now = Date.now()): number | null {
    let w = this.windows.get(client);
    if (!w || now - w.start >= WINDOW_MS) {
      if (!w && this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    return w.count <= this.perMinute ? null : this.retryAfter(w, now);
  }

  /** Without counting: null while the budget has room left, else the seconds until it has again. */
  spent(client: string, now = Date.now()): number | null {
    const w = this.windows.get(client);
    if (!w || now - w.start >= WINDOW_MS || w.count < this.perMinute) return null;
    return this.retryAfter(w, now);
  }

  private retryAfter(w: { start: number }, now: number): number {
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [client, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(client);
  }
}

/** The public view's instance (PUBLIC_RATE_LIMIT_PER_MINUTE): the public lot view and the shopper's page share it. */
export const PUBLIC_RATE_LIMITER = Symbol('PUBLIC_RATE_LIMITER');
