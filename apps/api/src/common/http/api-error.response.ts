import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** Every error leaves in this shape (ApiExceptionFilter): clients switch on `code`, never on the message. */
export class ApiErrorResponse {
  @ApiProperty({ description: 'Stable, machine-readable error code (docs/api.md: Error codes)', example: 'VALIDATION_FAILED' })
  code: string;

  @ApiProperty({ description: 'What went wrong, for a person' })
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Facts about the refusal: `errors` (each field), `field`, `reasons`, ...' })
  details?: Record<string, unknown>;
}

/** The error statuses a route can answer, each with the codes it may carry. */
export type ErrorCodes = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503, readonly string[]>>;

/** Any request body: the parser and the input checks in front of every handler (configureApp). */
export const BODY_ERRORS: ErrorCodes = {
  400: ['VALIDATION_FAILED', 'MALFORMED_JSON'],
  413: ['PAYLOAD_TOO_LARGE'],
  415: ['UNSUPPORTED_MEDIA_TYPE'],
};

/** Any command: the executor retries a busy stream a bounded number of times; the database may be away; a key whose writes met too many unknown lots waits (LotProbeBudget). */
export const COMMAND_ERRORS: ErrorCodes = { 409: ['CONCURRENCY_CONFLICT'], 429: ['RATE_LIMITED'], 503: ['DATABASE_UNAVAILABLE'] };

/** Any read of a read model: `?atLeast=` may time out; query strings are checked like bodies. */
export const READ_ERRORS: ErrorCodes = { 400: ['VALIDATION_FAILED'], 503: ['PROJECTION_LAGGING', 'DATABASE_UNAVAILABLE'] };

/** Every route guarded by a key (see Allow); 429 once the caller's address has failed to authenticate too often. */
export const ACCESS_ERRORS: ErrorCodes = { 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'], 429: ['RATE_LIMITED'] };

const merge = (sets: readonly ErrorCodes[]): Map<number, string[]> => {
  const byStatus = new Map<number, string[]>();
  for (const set of sets) {
    for (const [status, codes] of Object.entries(set)) {
      const seen = byStatus.get(Number(status)) ?? [];
      byStatus.set(Number(status), [...seen, ...codes!.filter((c) => !seen.includes(c))]);
    }
  }
  return byStatus;
};

/**
 * Documents the error answers of a route (or of every route of a controller):
 * one response per status, its body the shared `ApiErrorResponse` with `code`
 * narrowed to the codes that status can carry there. The sets are merged, so
 * a route lists its own codes beside the common ones (BODY_ERRORS, ...).
 */
export const ApiErrors = (...sets: ErrorCodes[]) =>
  applyDecorators(
    ApiExtraModels(ApiErrorResponse),
    ...[...merge(sets)].map(([status, codes]) =>
      ApiResponse({
        status,
        description: codes.map((c) => `\`${c}\``).join(', '),
        // JSON whatever the route produces when it succeeds (a CSV, a page): @ApiProduces must not re-file it.
        content: {
          'application/json': {
            schema: { allOf: [{ $ref: getSchemaPath(ApiErrorResponse) }, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] },
          },
        },
      }),
    ),
  );
