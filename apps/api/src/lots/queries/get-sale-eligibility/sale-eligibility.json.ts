import { eligibilityHoldsUntil, saleEligibility } from '@app/domain';
import type { EligibilityRow } from '../../lot-read.repository';

/** The answer's media type: the text is sent as it is, so the route names it. */
export const ELIGIBILITY_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * A lot's eligibility answer serialised once: the JSON of everything but
 * `evaluatedAt` (left open after `version`), and until when the clock alone
 * leaves that verdict as it is (the next certificate expiry).
 */
export interface SerialisedEligibility {
  readonly head: string;
  readonly holdsUntil: number;
}

/** Judges a row at `now` and serialises the answer (SaleEligibilityView's fields in its order, `evaluatedAt` last). */
export const serialiseEligibility = (row: EligibilityRow, now: Date): SerialisedEligibility => {
  const verdict = saleEligibility(row.facts, now);
  const json = JSON.stringify({ traceCode: row.traceCode, allowed: verdict.allowed, reasons: verdict.reasons, position: row.position, version: row.version });
  return { head: json.slice(0, -1), holdsUntil: eligibilityHoldsUntil(row.facts, now) };
};

/** The millisecond last answered and the body's tail for it: reads in the same millisecond share it (toISOString was ~1.5 us of the read). */
let tailAt = NaN;
let tail = '';

/** The answer's body at `now`: the cached JSON and the time of this request. */
export const eligibilityBody = (answer: SerialisedEligibility, now: Date): string => {
  const ms = now.getTime();
  if (ms !== tailAt) {
    tail = `,"evaluatedAt":"${now.toISOString()}"}`;
    tailAt = ms;
  }
  return answer.head + tail;
};
