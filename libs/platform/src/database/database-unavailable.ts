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

/**
 * COMMIT was sent and no verdict came back (the connection was lost, the
 * server shut down, the client broke): the transaction may or may not have
 * been committed. Answered 503 like any unavailability: the client retries
 * with the same idempotency key, and the retry answers as the first one did
 * or records it now.
 */
export class CommitOutcomeUnknown extends Error {
  override readonly name = 'CommitOutcomeUnknown';

  constructor(cause: unknown) {
    super(`the commit's outcome is unknown: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The connection of a transaction broke while it was open (the server ended
 * the session, as it does to every session when it shuts down): nothing of
 * that transaction was committed. The driver reports it as an event, and
 * the statement after it fails with whatever the driver says of a closed
 * connection ("query runner already released"): this names the real cause.
 */
export class ConnectionLost extends Error {
  override readonly name = 'ConnectionLost';

  constructor(cause: unknown) {
    super(`the database connection was lost: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A SQLSTATE: five digits and capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The server's own answer to a statement (pg's DatabaseError, maybe wrapped by TypeORM): a severity and a SQLSTATE. */
const fromServer = (e: unknown): boolean => {
  const outer = (e ?? {}) as { driverError?: unknown };
  const { code, severity } = (outer.driverError ?? outer) as { code?: unknown; severity?: unknown };
  return typeof severity === 'string' && typeof code === 'string' && SQLSTATE.test(code);
};

/**
 * What a failed COMMIT means. A verdict from the server (a SQLSTATE that is
 * not about the connection or a shutdown: a serialization failure, a
 * deferred constraint) says it rolled back: that error stays as it is.
 * Anything else (a lost or broken connection, whatever the driver calls it)
 * leaves the outcome unknown.
 */
export const commitFailure = (error: unknown): unknown =>
  fromServer(error) && databaseUnavailableReason(error) === null ? error : new CommitOutcomeUnknown(error);

const unavailableHere = (e: object): string | null => {
  if (e instanceof DatabaseDeadlineExceeded || e instanceof CommitOutcomeUnknown || e instanceof ConnectionLost) return e.message;
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

/** Unavailability that leaves the connection as it was: the server cancelled a statement, or we stopped waiting. */
const CONNECTION_INTACT = new Set(['57014', '55P03']);

/**
 * Whether an error means the connection it came from may be dead (lost,
 * terminated, in an unknown state): such a connection is closed, not given
 * to the next request. A statement or lock timeout leaves it usable.
 */
export const connectionBroken = (error: unknown): boolean => {
  if (error instanceof DatabaseDeadlineExceeded) return false;
  const reason = databaseUnavailableReason(error);
  return reason !== null && !CONNECTION_INTACT.has(reason);
};
