import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { CredentialStore } from './credential-store';
import { LotProbeBudget } from './lot-probe-budget';
import { PublicRateLimiter } from './public-rate-limiter';
import { RoutePolicyCheck } from './route-policy.check';

/** Authentication and each route's declared access policy, applied to every route of the api. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [CredentialStore, PublicRateLimiter, LotProbeBudget, RoutePolicyCheck, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [CredentialStore, RoutePolicyCheck, LotProbeBudget],
})
export class AccessModule {}
