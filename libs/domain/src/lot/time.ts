import { invalid, ruleViolated } from '../shared/domain-error';

/** Times outside this window are typos or attacks, not cold-chain events (and would overflow storage). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

/**
 * A record's time is a full date and time with its zone: "2026", "2026-11"
 * or "2026-11-20T08:00" (whose zone?) would be guesses, not facts.
 */
const FULL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A date that exists on the calendar (JavaScript reads 2026-02-30 as 2 March), with hours, minutes and seconds in range. */
const onTheCalendar = (value: string): boolean => {
  const [, y, mo, d, h, mi, s] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/i.exec(value)!.map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && (Number.isNaN(s) || s <= 59);
};

export const isFullTimestamp = (value: string): boolean => FULL_TIMESTAMP.test(value) && onTheCalendar(value) && !Number.isNaN(Date.parse(value));

export const iso = (value: string, field: string): string => {
  if (!FULL_TIMESTAMP.test(value)) {
    throw invalid('VALIDATION_FAILED', `${field} must be a full date and time with its time zone, e.g. 2026-11-20T08:00:00Z`, { field });
  }
  const t = Date.parse(value);
  if (Number.isNaN(t) || !onTheCalendar(value)) throw invalid('VALIDATION_FAILED', `${field} is not a valid date-time`, { field });
  if (t < EARLIEST || t >= LATEST) {
    throw invalid('VALIDATION_FAILED', `${field} must fall between 2000-01-01 and 2100-01-01`, { field });
  }
  return new Date(t).toISOString();
};

/** Scanner clocks drift; beyond this a scan from the future is a malformed request. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const notInFuture = (value: string, field: string, now: Date): void => {
  if (Date.parse(value) > now.getTime() + CLOCK_SKEW_MS) {
    throw invalid('VALIDATION_FAILED', `${field} ${value} is in the future`, { field });
  }
};

/**
 * How long before a lot entered the country something about it may be dated.
 * Documents may be issued abroad before shipping (a month at sea); a scan
 * cannot happen before the lot is here.
 */
export interface TimePolicy {
  readonly documentToleranceMs: number;
  readonly scanToleranceMs: number;
}

const DAY_MS = 86_400_000;
export const DEFAULT_TIME_POLICY: TimePolicy = { documentToleranceMs: 30 * DAY_MS, scanToleranceMs: 0 };

/** Refuses (422 OCCURRED_BEFORE_ENTRY) a time before the lot's entry less the tolerance: what cannot have happened. */
export const notBeforeEntry = (value: string, field: string, enteredAt: string | null, toleranceMs: number): void => {
  if (enteredAt === null) return;
  const earliest = Date.parse(enteredAt) - toleranceMs;
  if (Date.parse(value) < earliest) {
    throw ruleViolated('OCCURRED_BEFORE_ENTRY', `${field} ${value} is before the lot entered the country at ${enteredAt}${toleranceMs ? ` (less ${Math.round(toleranceMs / DAY_MS)} days)` : ''}`, {
      field,
      enteredAt,
      earliest: new Date(earliest).toISOString(),
    });
  }
};
