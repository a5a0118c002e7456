import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';

const WINDOW_MS = 60_000;
/** Beyond this many tracked addresses, finished windows are swept before a new one is added. */
const SWEEP_AT = 10_000;

/**
 * Requests per client address per minute on the public routes (fixed
 * windows, per process). Shoppers scan a QR code a few times; a scraper
 * walking trace codes hits the limit.
 */
@Injectable()
export class PublicRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts one request; null when allowed, else the seconds until the client may try again. */
  hit(client: string, now = Date.now()): number | null {
    let w = this.windows.get(client);
    if (!w || now - w.start >= WINDOW_MS) {
      if (!w && this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    if (w.count <= this.config.publicRateLimitPerMinute) return null;
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [client, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(client);
  }
}
