import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../access/access.guard';
import { ApiError } from '../../common/http/api-errors';

/** A capture inside its request (up to EPCIS_CAPTURE_INLINE_EVENTS, 1000 by default) is recorded within about a second, a larger one answered at once: worth one retry later. */
export const CAPTURE_RETRY_AFTER_SECONDS = 1;

export const captureInProgress = () =>
  new ApiError(
    429,
    'CAPTURE_IN_PROGRESS',
    `this key has a capture running; send the next document when it is answered (retry in ${CAPTURE_RETRY_AFTER_SECONDS} s)`,
    { retryAfterSeconds: CAPTURE_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(CAPTURE_RETRY_AFTER_SECONDS) },
  );

/**
 * One capture at a time per key, in this process: a second one while the
 * first runs is refused at once (429 CAPTURE_IN_PROGRESS), before its body
 * is counted or validated. Interceptors run before pipes, so the slot covers
 * the schema validation (the CPU-heavy part) as well as the recording.
 * Refused rather than queued: a waiting capture would hold its parsed body
 * (up to 10 MB of JSON, several times that in memory) for as long as the
 * queue is, and an EPCIS client sends its documents one after another anyway.
 * The slot ends with the answer: a job captured in the background holds
 * only a slice of its events in memory (the rest are in the database).
 */
@Injectable()
export class OneCapturePerKeyInterceptor implements NestInterceptor {
  private readonly running = new Set<string>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // AccessGuard ran first: the route takes OPERATOR keys only.
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!principal) throw new Error('OneCapturePerKeyInterceptor on a route without an authenticated caller');
    const { keyId } = principal;
    if (this.running.has(keyId)) throw captureInProgress();
    this.running.add(keyId);
    return next.handle().pipe(finalize(() => this.running.delete(keyId)));
  }
}
