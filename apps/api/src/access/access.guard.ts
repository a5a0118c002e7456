import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Principal } from '@app/domain';
import { ApiError, forbiddenRoute, lotProbesSpent, rateLimited, unauthenticated } from '../common/http/api-errors';
import { ApiMetrics } from '../metrics/api-metrics';
import { bearerToken } from './access-token';
import { CredentialStore } from './credential-store';
import { LotProbeBudget } from './lot-probe-budget';
import { PublicRateLimiter } from './public-rate-limiter';
import { OperatorScope, ROUTE_POLICY, RoutePolicy } from './route-policy';

/** The authenticated caller, set on the request by AccessGuard. */
export type AuthenticatedRequest = Request & { principal?: Principal };

const facilityNamed = (req: Request, scope: Exclude<OperatorScope, string>): unknown => {
  const source = scope.facilityIn === 'body' ? (req.body as unknown) : (req.params as unknown);
  return source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[scope.field] : undefined;
};

/**
 * An operator acts only at its own facilities (403 otherwise); other roles
 * are not limited by facility. Also applied to each scan of a batch.
 */
export const requireOperatorFacility = (principal: Principal, facilityId: string, field: string): void => {
  if (principal.role !== 'OPERATOR' || principal.facilityIds.includes(facilityId)) return;
  throw forbiddenRoute(`key ${principal.name} works at ${principal.facilityIds.join(', ')}, not at ${facilityId}`, {
    role: principal.role,
    required: `${field} one of the key's facilities`,
    facilityId,
    facilityIds: [...principal.facilityIds],
  });
};

/**
 * Applies each route's declared policy (see route-policy.ts): public routes
 * pass (rate limited where declared); every other route needs a known bearer
 * token (401), a role it allows (403), a write an unspent LotProbeBudget
 * (429) and, for an operator, a facility of its own where the route names one (403).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CredentialStore) private readonly credentials: CredentialStore,
    @Inject(PublicRateLimiter) private readonly limiter: PublicRateLimiter,
    @Inject(LotProbeBudget) private readonly probes: LotProbeBudget,
    @Optional() @Inject(ApiMetrics) private readonly metrics?: ApiMetrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.admit(context);
    } catch (e) {
      if (e instanceof ApiError) this.metrics?.authRefused(e.code);
      throw e;
    }
  }

  private async admit(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, [context.getHandler(), context.getClass()]);
    // RoutePolicyCheck refuses to start without one; deny rather than guess if that ever slips.
    if (!policy) throw new Error(`route ${context.getClass().name}.${context.getHandler().name} declares no access policy`);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();

    if (policy.kind === 'public') {
      if (policy.rateLimited) {
        const retryAfter = this.limiter.hit(req.ip ?? req.socket.remoteAddress ?? 'unknown');
        if (retryAfter !== null) throw rateLimited(retryAfter);
      }
      return true;
    }

    const token = bearerToken(req.headers.authorization);
    if (!token) throw unauthenticated('this route needs an Authorization: Bearer <token> header');
    const principal = await this.credentials.resolve(token);
    if (!principal) throw unauthenticated('the token is unknown or has been revoked');

    if (!policy.roles.includes(principal.role)) {
      throw forbiddenRoute(`a ${principal.role} key may not call this route; it needs ${policy.roles.join(' or ')}`, {
        role: principal.role,
        required: [...policy.roles],
      });
    }
    // A key that met too many unknown lots in its writes this minute waits, whatever it writes now.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const retryAfter = this.probes.retryAfter(principal.keyId);
      if (retryAfter !== null) throw lotProbesSpent(retryAfter);
    }
    const scope = policy.operatorScope;
    if (scope && typeof scope === 'object') {
      const facilityId = facilityNamed(req, scope);
      // A missing or malformed field is the validation pipe's to refuse (400), after this.
      if (typeof facilityId === 'string') requireOperatorFacility(principal, facilityId, scope.field);
    }
    req.principal = principal;
    return true;
  }
}
