/** Errors the HTTP layer raises itself; domain rules raise DomainError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Response headers the answer needs (WWW-Authenticate, Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const validationFailed = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, 'VALIDATION_FAILED', message, details);

/** Kafka mode: the projector could not bring this lot's read models up to date (see InboxProjector); no verdict from them. */
export const projectionStale = (traceCode: string, stale: { reason: string; since: string }) =>
  new ApiError(503, 'PROJECTION_STALE', `the read models of lot ${traceCode} are stale since ${stale.since} (${stale.reason}); the projector heals them from the event store`, {
    traceCode,
    ...stale,
  });

export const projectionLagging = (projection: string, position: number, waitedMs: number) =>
  new ApiError(503, 'PROJECTION_LAGGING', `the ${projection} read model has not reached position ${position} after ${waitedMs} ms; retry shortly`, {
    projection,
    position,
  });

export const concurrencyConflict = (streamId: string, attempts: number) =>
  new ApiError(409, 'CONCURRENCY_CONFLICT', `${streamId} kept changing under ${attempts} attempts; retry the command`);

export const unauthenticated = (message: string) =>
  new ApiError(401, 'UNAUTHENTICATED', message, undefined, { 'WWW-Authenticate': 'Bearer realm="coldtrace"' });

export const forbiddenRoute = (message: string, details: Record<string, unknown>) => new ApiError(403, 'FORBIDDEN', message, details);

/** A key whose writes met too many unknown lots (LotProbeBudget): its writes wait for the next window. */
export const lotProbesSpent = (retryAfterSeconds: number) =>
  new ApiError(429, 'RATE_LIMITED', `this key's writes met too many unknown lots this minute; retry in ${retryAfterSeconds} s`, { retryAfterSeconds }, {
    'Retry-After': String(retryAfterSeconds),
  });

export const rateLimited = (retryAfterSeconds: number, what = 'requests') =>
  new ApiError(429, 'RATE_LIMITED', `too many ${what} from this address; retry in ${retryAfterSeconds} s`, { retryAfterSeconds }, {
    'Retry-After': String(retryAfterSeconds),
  });
