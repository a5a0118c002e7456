import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ApiError } from '../../common/http/api-errors';
import { CAPTURE_ERROR_BEHAVIOURS, type CaptureErrorBehaviour } from './capture-job';

export const CAPTURE_ERROR_BEHAVIOUR_HEADER = 'GS1-Capture-Error-Behaviour';

/** The header's value (case and spaces aside); absent is the standard's default, rollback; anything else 400 VALIDATION_FAILED naming it. */
export const captureErrorBehaviourOf = (header: string | string[] | undefined): CaptureErrorBehaviour => {
  if (header === undefined) return 'rollback';
  const value = (Array.isArray(header) ? header.join(',') : header).trim().toLowerCase();
  const known = CAPTURE_ERROR_BEHAVIOURS.find((b) => b === value);
  if (known) return known;
  throw new ApiError(400, 'VALIDATION_FAILED', `${CAPTURE_ERROR_BEHAVIOUR_HEADER} must be rollback or proceed`, {
    header: CAPTURE_ERROR_BEHAVIOUR_HEADER,
    allowed: [...CAPTURE_ERROR_BEHAVIOURS],
    value: Array.isArray(header) ? header.join(',') : header,
  });
};

/** Refuses a bad GS1-Capture-Error-Behaviour before the body is looked at (interceptors run before pipes: no schema validation for nothing). */
@Injectable()
export class CaptureErrorBehaviourInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    captureErrorBehaviourOf(context.switchToHttp().getRequest<FastifyRequest>().headers[CAPTURE_ERROR_BEHAVIOUR_HEADER.toLowerCase()]);
    return next.handle();
  }
}
