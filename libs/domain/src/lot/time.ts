import { invalid } from '../shared/domain-error';

/** Times outside this window are typos or attacks, not cold-chain events (and would overflow storage). */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const LATEST = Date.parse('2100-01-01T00:00:00Z');

export const iso = (value: string, field: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalid('VALIDATION_FAILED', `${field} is not a valid date-time`, { field });
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

