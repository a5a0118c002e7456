import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';

/** Who sent the request and which conversation it belongs to; copied into every event's metadata. */
export interface RequestContext {
  readonly actor: string;
  readonly correlationId: string;
}

const header = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.length <= 200 ? s : undefined;
};

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): RequestContext => {
  const req = context.switchToHttp().getRequest<Request>();
  return {
    actor: header(req, 'x-actor') ?? 'anonymous',
    correlationId: header(req, 'x-correlation-id') ?? randomUUID(),
  };
});
