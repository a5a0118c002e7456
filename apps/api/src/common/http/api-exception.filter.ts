import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError, DomainErrorKind } from '@app/domain';
import { IdempotencyKeyReusedError } from '@app/event-store';
import { CommitOutcomeUnknown, DatabaseDeadlineExceeded, databaseUnavailableReason } from '@app/platform';
import { ApiError } from './api-errors';

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, rule: 422, forbidden: 403 };

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * Failures Fastify raises itself, below Nest (a body over the largest limit
 * or without a parser, a URL the router cannot decode), carry a 4xx
 * `statusCode` and a `code`; they are the client's, never a 500.
 */
const lowerLayerError = (e: unknown): { status: number; type: string } | null => {
  const err = e as { code?: unknown; status?: unknown; statusCode?: unknown };
  const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : null;
  if (status === null || status < 400 || status > 499 || e instanceof HttpException) return null;
  return { status, type: typeof err.code === 'string' ? err.code : 'request.invalid' };
};

const LOWER_LAYER_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'request bodies must be application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'BAD_REQUEST', message: 'the request body is not as long as its Content-Length says' },
  FST_ERR_BAD_URL: { status: 400, code: 'BAD_REQUEST', message: 'the URL could not be decoded' },
};

/** Our own error wrapped by Nest in an HttpException: answered as ours, code, message and details. */
const unwrapOwn = (exception: unknown): unknown =>
  exception instanceof HttpException && exception.cause instanceof ApiError ? exception.cause : exception;

/** What the client should know to retry well; never the driver's own words. */
const unavailableMessage = (exception: unknown): string => {
  if (exception instanceof CommitOutcomeUnknown) {
    return 'the connection to the database was lost while committing: the command may or may not have been recorded; retry it with the same idempotency key';
  }
  if (exception instanceof DatabaseDeadlineExceeded) {
    return `the database did not answer within ${exception.budgetMs} ms; retry shortly, with the same idempotency key`;
  }
  return 'the database is unavailable or did not answer in time; retry shortly';
};

export const toErrorResponse = (thrown: unknown): { status: number; body: ErrorBody; headers?: Record<string, string> } => {
  const exception = unwrapOwn(thrown);
  if (exception instanceof DomainError) {
    return {
      status: STATUS_OF[exception.kind],
      body: { code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) },
    };
  }
  if (exception instanceof ApiError) {
    return {
      status: exception.status,
      body: { code: exception.code, message: exception.message, ...(exception.details ? { details: exception.details } : {}) },
      headers: exception.headers,
    };
  }
  if (exception instanceof IdempotencyKeyReusedError) {
    // Stored keys are `<credential>/<kind>:<id>` (request-context.ts); the caller knows its key as `<kind>:<id>`.
    const key = exception.key.slice(exception.key.indexOf('/') + 1);
    return {
      status: 409,
      body: { code: 'IDEMPOTENCY_KEY_REUSED', message: `${key} was already used by this key for a different request`, details: { key } },
    };
  }
  const lower = lowerLayerError(exception) ?? lowerLayerError((exception as { cause?: unknown })?.cause);
  if (lower) {
    const known = LOWER_LAYER_CODES[lower.type];
    if (known) return { status: known.status, body: { code: known.code, message: known.message } };
    return { status: lower.status, body: { code: HTTP_CODES[lower.status] ?? 'BAD_REQUEST', message: `the request could not be read (${lower.type})` } };
  }
  // A stuck or unreachable database is not the caller's fault nor a bug of ours: say so, and that a retry may work.
  if (databaseUnavailableReason(exception) !== null) {
    return { status: 503, body: { code: 'DATABASE_UNAVAILABLE', message: unavailableMessage(exception) } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    const message = status === 404 ? 'no such route' : exception.message;
    return { status, body: { code, message } };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'an unexpected error occurred; it has been logged' } };
};

/** While the database is away every request fails the same way: one warning per this interval, not one per request. */
const UNAVAILABLE_WARN_EVERY_MS = 10_000;

/** Every error leaves as `{code, message, details?}`; only our own faults are 500s, and those are logged. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');
  private lastUnavailableWarning = 0;
  private unavailableSinceWarning = 0;

  catch(exception: unknown, host: ArgumentsHost): void {
    this.send(host.switchToHttp().getResponse<FastifyReply>(), exception);
  }

  /** Also for what fails before Nest routes anything (configureApp's checks, a URL the router cannot decode). */
  send(reply: FastifyReply, exception: unknown): void {
    const { status, body, headers } = toErrorResponse(exception);
    if (body.code === 'DATABASE_UNAVAILABLE') {
      this.warnUnavailable(databaseUnavailableReason(exception) ?? 'unknown');
    } else if (status >= 500 && status !== 503) {
      const err = exception as Error;
      this.logger.error(err?.message ?? String(exception), err?.stack);
    }
    for (const [name, value] of Object.entries(headers ?? {})) reply.header(name, value);
    // A handler may have named another type (a page, a file) before it failed: the error is JSON.
    reply.status(status).type('application/json; charset=utf-8').send(body);
  }

  private warnUnavailable(reason: string): void {
    this.unavailableSinceWarning++;
    const now = Date.now();
    if (now - this.lastUnavailableWarning < UNAVAILABLE_WARN_EVERY_MS) return;
    this.logger.warn(`database unavailable (${reason}): answered 503 to ${this.unavailableSinceWarning} request(s)`);
    this.lastUnavailableWarning = now;
    this.unavailableSinceWarning = 0;
  }
}
