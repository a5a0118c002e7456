import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createRootLogger, dataSourceOptions, loggingModule, RootLogger } from '@app/platform';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { FacilitiesModule } from './facilities/facilities.module';
import { HealthHttpController } from './health/health.http.controller';
import { InfrastructureModule } from './infrastructure.module';
import { LotsModule } from './lots/lots.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { RecallsModule } from './recalls/recalls.module';
import { SightingsModule } from './sightings/sightings.module';
import { AccessModule } from './access/access.module';
import { KeysModule } from './keys/keys.module';
import { PublicModule } from './public/public.module';
import { AuditModule } from './audit/audit.module';
import { MetricsModule } from './metrics/metrics.module';
import { EpcisModule } from './epcis/epcis.module';
import { OpenApiModule } from './openapi/openapi.module';
import { ConsoleModule } from './console/console.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

@Module({})
class ConfigModule {}

@Module({})
export class AppModule {
  /**
   * `databaseUrl` is resolved by then: given, or the embedded server's. `log`:
   * the process's root logger when the caller made one already (main.ts logs
   * before the app exists; tests read the lines back).
   */
  static forRoot(config: AppConfig & { databaseUrl: string; log?: RootLogger }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        loggingModule(config.log ?? createRootLogger({ service: 'api', ...config })),
        // Migrations run under an advisory lock in InfrastructureModule (api and projector may start together).
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, config), migrationsRun: false, retryAttempts: 5, retryDelay: 1000 }),
        CqrsModule.forRoot(),
        // Readiness (GET /api/health/ready); its failures are answered (503 NOT_READY) and access-logged, not logged again.
        TerminusModule.forRoot({ logger: false }),
        InfrastructureModule.forRoot(config),
        AccessModule,
        KeysModule,
        PublicModule,
        FacilitiesModule,
        LotsModule,
        SightingsModule,
        RecallsModule,
        DashboardModule,
        SubscriptionsModule,
        AuditModule,
        EpcisModule,
        MetricsModule,
        OpenApiModule,
        ConsoleModule,
      ],
      controllers: [HealthHttpController],
    };
  }
}
