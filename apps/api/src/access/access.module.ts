import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { CredentialStore } from './credential-store';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { RateLimiter, PUBLIC_RATE_LIMITER } from './rate-limiter';
import { FailedAuthLimit } from './failed-auth-limit';
import { LotProbeBudget } from './lot-probe-budget';
import { RoutePolicyCheck } from './route-policy.check';

/** Authentication and each route's declared access policy, applied to every route of the api. */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    CredentialStore,
    { provide: PUBLIC_RATE_LIMITER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new RateLimiter(config.publicRateLimitPerMinute) },
    FailedAuthLimit,
    LotProbeBudget,
    RoutePolicyCheck,
    AccessGuard,
    // The same instance: the eligibility read's fast lane applies its checks too.
    { provide: APP_GUARD, useExisting: AccessGuard },
  ],
  exports: [AccessGuard, CredentialStore, FailedAuthLimit, LotProbeBudget, RoutePolicyCheck],
})
export class AccessModule {}
