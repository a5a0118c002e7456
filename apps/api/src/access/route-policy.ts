import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Role } from '@app/domain';
import { ACCESS_ERRORS, ApiErrors } from '../common/http/api-error.response';

export const ROUTE_POLICY = 'coldtrace:route-policy';

/** The OpenAPI security scheme of bearer keys (`Authorization: Bearer <token>`), declared in openapi.document.ts. */
export const BEARER_SCHEME = 'bearer';

/**
 * How an OPERATOR key's facilities limit a route:
 * - `{ facilityIn, field }`: the facility named there must be one of the key's (else 403);
 * - `'lot-visible'`: the lot must be, have been, or be heading to one of its facilities
 *   (else 404 LOT_NOT_FOUND, so no firm can probe another's lots); the query enforces it;
 * - `'lot-held'`: the lot must be held at, or on its way to, one of its facilities at the
 *   command's time (else 404 LOT_NOT_FOUND, as for an unknown lot); the domain enforces it (mayActOnLot);
 * - `'each-item'`: a batch; each item's facility must be one of the key's, and an item
 *   elsewhere is refused on its own (FORBIDDEN in its result) while the others go ahead;
 * - `'unrestricted'`: not limited by facility (the facility directory).
 */
export type OperatorScope =
  | { readonly facilityIn: 'body' | 'param'; readonly field: string }
  | 'lot-visible'
  | 'lot-held'
  | 'each-item'
  | 'unrestricted';

export type RoutePolicy =
  | { readonly kind: 'public'; readonly rateLimited: boolean }
  | { readonly kind: 'roles'; readonly roles: readonly Role[]; readonly operatorScope?: OperatorScope };

/**
 * Every route declares who may call it, here and nowhere else; a route
 * without a declaration stops the service from starting (RoutePolicyCheck).
 * The OpenAPI document reads the same declaration: the bearer scheme and the
 * 401/403 answers come with it, so the docs cannot drift from the guard.
 */
export const Allow = (roles: readonly Role[], options: { operatorScope?: OperatorScope } = {}) =>
  applyDecorators(
    SetMetadata(ROUTE_POLICY, { kind: 'roles', roles, ...options } satisfies RoutePolicy),
    ApiBearerAuth(BEARER_SCHEME),
    ApiErrors(ACCESS_ERRORS),
  );

/** No credential needed (so no security in the OpenAPI document). `rateLimited`: counted per client address (PUBLIC_RATE_LIMIT_PER_MINUTE). */
export const Public = (options: { rateLimited: boolean }) =>
  applyDecorators(
    SetMetadata(ROUTE_POLICY, { kind: 'public', rateLimited: options.rateLimited } satisfies RoutePolicy),
    ...(options.rateLimited ? [ApiErrors({ 429: ['RATE_LIMITED'] })] : []),
  );

/** Every role may read facilities. */
export const EVERY_ROLE: readonly Role[] = ['ADMIN', 'OPERATOR', 'INSPECTOR', 'REGULATOR'];
