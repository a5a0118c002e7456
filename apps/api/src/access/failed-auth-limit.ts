import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { RateLimiter } from './rate-limiter';

/**
 * How long a key that authenticated from an address counts as working there:
 * a till that sold a quarter of an hour ago keeps selling while a device
 * behind the same address floods wrong tokens.
 */
const WORKED_FOR_MS = 15 * 60_000;
/** Beyond this many tracked addresses, old entries are swept before a new one is added. */
const SWEEP_AT = 10_000;

/** The client a request comes from, as TRUST_PROXY resolves it. */
export const clientAddress = (req: FastifyRequest): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/**
 * Failed authentications per client address (AUTH_FAILURE_LIMIT_PER_MINUTE).
 * Once an address has spent its budget, a credential from it is no longer
 * checked: it answers 429, right or wrong, so guessing stops (a 429 for a
 * wrong token but an answer for a right one would tell a guesser which is
 * which). Except a key that already worked from that address lately: a
 * store's 20 tills share one address, and one misconfigured or hostile
 * device there must not stop the other 19 from selling.
 */
@Injectable()
export class FailedAuthLimit {
  private readonly failures: RateLimiter;
  /** Per address, the keys that authenticated from it and when they last did. */
  private readonly worked = new Map<string, Map<string, number>>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.failures = new RateLimiter(config.authFailureLimitPerMinute);
  }

  /**
   * Judges one credential presented from `client`: `keyId` is the key it
   * proved, null when it proved none. Returns null to go on (admit it, or
   * answer 401 for a wrong one), else the seconds for a 429's Retry-After.
   */
  judge(client: string, keyId: string | null, now = Date.now()): number | null {
    const spent = this.failures.spent(client, now);
    if (spent !== null) return keyId !== null && this.workedLately(client, keyId, now) ? this.admit(client, keyId, now) : spent;
    if (keyId === null) return this.failures.hit(client, now);
    return this.admit(client, keyId, now);
  }

  private admit(client: string, keyId: string, now: number): null {
    let keys = this.worked.get(client);
    if (!keys) {
      if (this.worked.size >= SWEEP_AT) this.sweep(now);
      keys = new Map();
      this.worked.set(client, keys);
    }
    keys.set(keyId, now);
    return null;
  }

  private workedLately(client: string, keyId: string, now: number): boolean {
    const at = this.worked.get(client)?.get(keyId);
    return at !== undefined && now - at < WORKED_FOR_MS;
  }

  private sweep(now: number): void {
    for (const [client, keys] of this.worked) {
      for (const [keyId, at] of keys) if (now - at >= WORKED_FOR_MS) keys.delete(keyId);
      if (keys.size === 0) this.worked.delete(client);
    }
  }
}
