import { invalid, ruleViolated } from '../shared/domain-error';

/** Times outside this window are typos or attacks, not cold-chain events (and would overflow storage). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

/**
 * A record's time is a full date and time with its zone: "2026", "2026-11"
 * or "2026-11-20T08:00" (whose zone?) would be guesses, not facts.
 */
const FULL_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The number written by the digits of `value` from `at`, `n` of them (a FULL_TIMESTAMP's fields sit at fixed places). */
const digitsAt = (value: string, at: number, n: number): number => {
  let x = 0;
  for (let i = at; i < at + n; i++) x = x * 10 + value.charCodeAt(i) - 48;
  return x;
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A date that exists on the calendar (JavaScript reads 2026-02-30 as 2 March), with hours, minutes and seconds
 * in range. For a value FULL_TIMESTAMP matched: read by position, not by a second regex (a scan checks its times on every write).
 */
const onTheCalendar = (value: string): boolean => {
  const y = digitsAt(value, 0, 4), mo = digitsAt(value, 5, 2), d = digitsAt(value, 8, 2), h = digitsAt(value, 11, 2), mi = digitsAt(value, 14, 2);
  if (mo < 1 || mo > 12) return false;
  const leap = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const daysInMonth = DAYS_IN_MONTH[mo - 1] + (leap ? 1 : 0);
  return d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && (value.charCodeAt(16) !== 58 || digitsAt(value, 17, 2) <= 59);
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
