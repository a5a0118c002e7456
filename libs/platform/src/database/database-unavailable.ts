import { DatabaseDeadlineExceeded } from './deadline';

/**
 * SQLSTATEs that mean the database is stuck or out of reach, not that the
 * request was wrong: statement and lock timeouts, lost or refused
 * connections, a server shutting down or starting, no free connection slot.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57014', '55P03', '57P01', '57P02', '57P03', '53300']);
/** Class 08: connection exception. */
const CONNECTION_EXCEPTION_CLASS = '08';

/** Socket errors from reaching the server. */
const UNREACHABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** What pg and pg-pool say, without a code, when a connection cannot be had or was lost. */
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /^Connection terminated/i,
  /not queryable/i,
  /Cannot use a pool after calling end/i,
];

const unavailableHere = (e: object): string | null => {
  if (e instanceof DatabaseDeadlineExceeded) return e.message;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || (code.length === 5 && code.startsWith(CONNECTION_EXCEPTION_CLASS))) return code;
    if (UNREACHABLE_ERRNOS.has(code)) return code;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) return message;
  return null;
};

/**
 * Why the database counts as unavailable for this error, or null when the
 * error is something else. Looks through TypeORM's wrapping (`driverError`),
 * `cause` chains and aggregate errors (a refused connection to each address).
 */
export const databaseUnavailableReason = (error: unknown): string | null => {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 16) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const reason = unavailableHere(e);
    if (reason) return reason;
    const { driverError, cause, errors } = e as { driverError?: unknown; cause?: unknown; errors?: unknown };
    queue.push(driverError, cause, ...(Array.isArray(errors) ? errors : []));
  }
  return null;
};
