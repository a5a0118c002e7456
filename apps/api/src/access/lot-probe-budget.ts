import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';

const WINDOW_MS = 60_000;
/** Beyond this many tracked keys, finished windows are swept before a new one is added. */
const SWEEP_AT = 10_000;

/**
 * LOT_NOT_FOUND answers to writes, per key per minute (fixed windows, per
 * process). A scanner's buffer holds a mistyped code now and then; a key
 * walking trace codes spends the budget, and its writes then answer 429
 * until the window ends, so no key can sweep the code space through the
 * write routes (reads answer alike for unknown and hidden lots, and the
 * public view is limited per address).
 */
@Injectable()
export class LotProbeBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Counts one LOT_NOT_FOUND answer to this key (a batch or a capture: one per item). */
  spend(keyId: string, now = Date.now()): void {
    let w = this.windows.get(keyId);
    if (!w || now - w.start >= WINDOW_MS) {
      if (!w && this.windows.size >= SWEEP_AT) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(keyId, w);
    }
    w.count++;
  }

  /** null while the key may still write, else the seconds until its window ends. */
  retryAfter(keyId: string, now = Date.now()): number | null {
    const w = this.windows.get(keyId);
    if (!w || now - w.start >= WINDOW_MS || w.count < this.config.lotNotFoundPerMinute) return null;
    return Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
  }
}
