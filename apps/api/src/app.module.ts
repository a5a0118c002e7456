import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '@app/platform';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { FacilitiesModule } from './facilities/facilities.module';
import { HealthHttpController } from './health/health.http.controller';
import { InfrastructureModule } from './infrastructure.module';
import { LotsModule } from './lots/lots.module';
import { RecallsModule } from './recalls/recalls.module';
import { ScansModule } from './scans/scans.module';
import { AccessModule } from './access/access.module';
import { KeysModule } from './keys/keys.module';
import { PublicModule } from './public/public.module';
import { AuditModule } from './audit/audit.module';

@Module({})
class ConfigModule {}

@Module({})
export class AppModule {
  /** `databaseUrl` is resolved by then: given, or the embedded server's. */
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigModule, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        // Migrations run under an advisory lock in InfrastructureModule (api and projector may start together).
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, config), migrationsRun: false, retryAttempts: 5, retryDelay: 1000 }),
        CqrsModule.forRoot(),
        InfrastructureModule.forRoot(config),
        AccessModule,
        KeysModule,
        PublicModule,
        FacilitiesModule,
        LotsModule,
        ScansModule,
        RecallsModule,
        AuditModule,
      ],
      controllers: [HealthHttpController],
    };
  }
}
