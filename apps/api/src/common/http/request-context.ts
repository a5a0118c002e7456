import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { actorOf, type Principal } from '@app/domain';
import type { EventMetadata } from '@app/event-store';
import type { AuthenticatedRequest } from '../../access/access.guard';

/** Who sent the request (the authenticated key) and which conversation it belongs to. */
export interface RequestContext {
  readonly principal: Principal;
  readonly correlationId: string;
  /** The request's id (`x-request-id`, see access-log.middleware.ts); none for work done without a request (keys CLI, first start). */
  readonly requestId?: string;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The context of a request AccessGuard admitted: for @Ctx() and a route served before Nest's pipeline (record-scan.fast-lane.ts). */
export const requestContextOf = (req: AuthenticatedRequest): RequestContext => {
  // Only AccessGuard sets it; a route using @Ctx() on a public route is our bug, not the caller's.
  if (!req.principal) throw new Error('@Ctx() used on a route without an authenticated caller');
  const given = req.headers['x-correlation-id'];
  const requestId = typeof req.id === 'string' ? req.id : undefined;
  return {
    principal: req.principal,
    // The caller's conversation when it names one; else this request is the conversation.
    correlationId: typeof given === 'string' && CORRELATION_ID.test(given) ? given : (requestId ?? randomUUID()),
    requestId,
  };
};

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => requestContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()));

/**
 * What every event a request writes records: the key that wrote it (any
 * `x-actor` header is ignored: the history is signed by credentials only), and
 * the request's id, which its access log line carries too.
 */
export const eventMetadata = (ctx: RequestContext, extra: EventMetadata = {}): EventMetadata => {
  const metadata: Record<string, unknown> = { ...extra, actor: actorOf(ctx.principal), correlationId: ctx.correlationId };
  if (ctx.requestId) metadata.requestId = ctx.requestId;
  return metadata;
};

/**
 * Idempotency keys belong to the credential that used them: another key
 * sending the same scan id neither gets the stored answer nor blocks the
 * rightful scanner.
 */
export const idempotencyKey = (ctx: RequestContext, key: string): string => `${ctx.principal.keyId}/${key}`;
