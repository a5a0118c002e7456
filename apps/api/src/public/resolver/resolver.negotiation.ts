import type { FastifyRequest } from 'fastify';
import { preferredType } from '../../common/http/accept';
import { LINKSET_TYPE } from './resolver.routes';

const linkTypeOf = (req: FastifyRequest): unknown => (req.query as Record<string, unknown> | null)?.linkType;

/**
 * The caller wants the linkset (not to be sent on): `?linkType=linkset` (or
 * `all`), or, with no linkType, an Accept that prefers it (or JSON) to HTML.
 * A browser, or a client that states no preference, is sent on.
 */
export const wantsLinkset = (req: FastifyRequest): boolean => {
  const linkType = linkTypeOf(req);
  if (linkType === 'linkset' || linkType === 'all') return true;
  if (linkType !== undefined) return false;
  return preferredType(req.headers.accept, ['text/html', LINKSET_TYPE, 'application/json']) !== 'text/html';
};
