import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { aRole, type Principal } from '@app/domain';
import { ApiError, forbiddenRoute, lotProbesSpent, rateLimited, unauthenticated } from '../common/http/api-errors';
import { ApiMetrics } from '../metrics/api-metrics';
import { bearerToken } from './access-token';
import { CredentialStore } from './credential-store';
import { RateLimiter, PUBLIC_RATE_LIMITER } from './rate-limiter';
import { clientAddress, FailedAuthLimit } from './failed-auth-limit';
import { LotProbeBudget } from './lot-probe-budget';
import { OperatorScope, ROUTE_POLICY, RoutePolicy } from './route-policy';

/** The authenticated caller, set on the request by AccessGuard. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

const facilityNamed = (req: FastifyRequest, scope: Exclude<OperatorScope, string>): unknown => {
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

/** The key's role must be one the policy allows (403 otherwise); `what` names the act refused. Also applied to each event of an EPCIS capture. */
export const requireRole = (policy: Extract<RoutePolicy, { kind: 'roles' }>, principal: Principal, what = 'call this route'): void => {
  if (policy.roles.includes(principal.role)) return;
  throw forbiddenRoute(`${aRole(principal.role)} key may not ${what}; it needs ${policy.roles.join(' or ')}`, { role: principal.role, required: [...policy.roles] });
};

/**
 * Applies each route's declared policy (see route-policy.ts): public routes
 * pass (rate limited where declared); every other route needs a known bearer
 * token (401; 429 once its address has failed too often, see FailedAuthLimit),
 * a role it allows (403), for a write an unspent LotProbeBudget (429) and,
 * for an operator, a facility of its own where the route names one (403).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CredentialStore) private readonly credentials: CredentialStore,
    @Inject(PUBLIC_RATE_LIMITER) private readonly publicLimit: RateLimiter,
    @Inject(FailedAuthLimit) private readonly failedAuth: FailedAuthLimit,
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

  /** The access policy a route's handler declares (Allow / Public). */
  policyOf(handler: Function, controller: Function): RoutePolicy {
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(ROUTE_POLICY, [handler, controller]);
    // RoutePolicyCheck refuses to start without one; deny rather than guess if that ever slips.
    if (!policy) throw new Error(`route ${controller.name}.${handler.name} declares no access policy`);
    return policy;
  }

  private async admit(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyOf(context.getHandler(), context.getClass());
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();

    if (policy.kind === 'public') {
      if (policy.rateLimited) {
        const retryAfter = this.publicLimit.hit(clientAddress(req));
        if (retryAfter !== null) throw rateLimited(retryAfter);
      }
      return true;
    }

    const header = req.headers.authorization;
    // No credential at all guesses nothing: a 401, not counted as a failed authentication.
    if (header === undefined) throw unauthenticated('this route needs an Authorization: Bearer <token> header');
    const token = bearerToken(header);
    const principal = token ? await this.credentials.resolve(token) : null;
    this.admitResolved(policy, req, token, principal);
    return true;
  }

  /**
   * Everything after the bearer token was resolved to `principal` (null: it
   * proved none): its address's failed authentications, the key's role, a
   * write's probe budget, an operator's facility; then the request carries
   * it. Synchronous, so a route served before Nest's pipeline applies the
   * same checks (sale-eligibility.fast-lane.ts).
   */
  admitResolved(policy: Extract<RoutePolicy, { kind: 'roles' }>, req: AuthenticatedRequest, token: string | null, principal: Principal | null): void {
    const retryAfter = this.failedAuth.judge(clientAddress(req), principal?.keyId ?? null);
    if (retryAfter !== null) throw rateLimited(retryAfter, 'failed authentications');
    if (!principal) throw unauthenticated(token ? 'the token is unknown or has been revoked' : 'this route needs an Authorization: Bearer <token> header');

    requireRole(policy, principal);
    // A key that met too many unknown lots in its writes this minute waits, whatever it writes now.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const probesWait = this.probes.retryAfter(principal.keyId);
      if (probesWait !== null) throw lotProbesSpent(probesWait);
    }
    const scope = policy.operatorScope;
    if (scope && typeof scope === 'object') {
      const facilityId = facilityNamed(req, scope);
      // A missing or malformed field is the validation pipe's to refuse (400), after this.
      if (typeof facilityId === 'string') requireOperatorFacility(principal, facilityId, scope.field);
    }
    req.principal = principal;
  }
}
