/** How long deliveries are retried, and how far apart (WEBHOOK_RETRY_MIN_MS, WEBHOOK_RETRY_MAX_MS, WEBHOOK_RETRY_FOR_MS). */
export interface RetryPolicy {
  /** The wait before the first retry; each later one doubles, up to maxMs. */
  readonly minMs: number;
  readonly maxMs: number;
  /** Retried for at least this long after the delivery was made; a failure after that dead-letters it. */
  readonly forMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { minMs: 5_000, maxMs: 3_600_000, forMs: 24 * 3_600_000 };

/** What a failed attempt leads to: another at `at`, or the dead letters. */
export type AfterFailure = { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'dead' };

/**
 * After failed attempt number `attempt` (1 for the first) of a delivery made
 * at `createdAt`: exponential backoff with full jitter between half and the
 * whole of the step (`random` in [0, 1)), so receivers coming back up are not
 * hit by every sender at once; dead once the retry window has passed.
 */
export const afterFailure = (policy: RetryPolicy, attempt: number, createdAt: Date, now: Date, random: number): AfterFailure => {
  if (now.getTime() - createdAt.getTime() >= policy.forMs) return { kind: 'dead' };
  const step = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(attempt - 1, 40));
  return { kind: 'retry', at: new Date(now.getTime() + Math.round(step / 2 + (step / 2) * random)) };
};

/** Does an answer settle the delivery (2xx), stop it for good (4xx but 408 and 429), or ask for a retry (anything else)? */
export const verdictOf = (status: number): 'delivered' | 'failed' | 'retry' =>
  status >= 200 && status < 300 ? 'delivered' : status >= 400 && status < 500 && status !== 408 && status !== 429 ? 'failed' : 'retry';
