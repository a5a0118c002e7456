import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorKind } from '@app/domain';
import { IdempotencyKeyReusedError } from '@app/event-store';
import { ApiError } from './api-errors';

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const STATUS_OF: Record<DomainErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, rule: 422 };

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Body-parser failures reach us as errors with a `type` and a `status`. */
const bodyParserError = (e: unknown): { status: number; type: string } | null => {
  const err = e as { type?: unknown; status?: unknown };
  return typeof err?.type === 'string' && typeof err.status === 'number' && err.type.startsWith('entity.')
    ? { status: err.status, type: err.type }
    : null;
};

export const toErrorResponse = (exception: unknown): { status: number; body: ErrorBody } => {
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
    };
  }
  if (exception instanceof IdempotencyKeyReusedError) {
    return {
      status: 409,
      body: { code: 'IDEMPOTENCY_KEY_REUSED', message: `${exception.key} was already used for a different request`, details: { key: exception.key } },
    };
  }
  const parser = bodyParserError(exception) ?? bodyParserError((exception as { cause?: unknown })?.cause);
  if (parser) {
    if (parser.type === 'entity.parse.failed') return { status: 400, body: { code: 'MALFORMED_JSON', message: 'the request body is not valid JSON' } };
    if (parser.type === 'entity.too.large') return { status: 413, body: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } };
    return { status: parser.status, body: { code: 'BAD_REQUEST', message: parser.type } };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = HTTP_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
    const message = status === 404 ? 'no such route' : exception.message;
    return { status, body: { code, message } };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'an unexpected error occurred; it has been logged' } };
};

/** Every error leaves as `{code, message, details?}`; only our own faults are 500s, and those are logged. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toErrorResponse(exception);
    if (status >= 500 && status !== 503) {
      const err = exception as Error;
      this.logger.error(err?.message ?? String(exception), err?.stack);
    }
    response.status(status).json(body);
  }
}
