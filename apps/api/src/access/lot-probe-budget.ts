import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { RateLimiter } from './rate-limiter';

/**
 * LOT_NOT_FOUND answers to writes, per key per minute
 * (LOT_NOT_FOUND_PER_MINUTE). A scanner's buffer holds a mistyped code now
 * and then; a key walking trace codes spends the budget, and its writes then
 * answer 429 until the window ends, so no key can sweep the code space
 * through the write routes (reads answer alike for unknown and hidden lots,
 * and the public view is limited per address).
 */
@Injectable()
export class LotProbeBudget {
  private readonly answers: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.answers = new RateLimiter(config.lotNotFoundPerMinute);
  }

  /** Counts one LOT_NOT_FOUND answer to this key (a batch or a capture: one per item). */
  spend(keyId: string): void {
    this.answers.hit(keyId);
  }

  /** null while the key may still write, else the seconds until its window ends. */
  retryAfter(keyId: string): number | null {
    return this.answers.spent(keyId);
  }
}
