import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { dataSourceOptions } from './database/data-source-options';
import { FacilitiesModule } from './facilities/facilities.module';
import { HealthHttpController } from './health/health.http.controller';
import { InfrastructureModule } from './infrastructure.module';
import { LotsModule } from './lots/lots.module';
import { ScansModule } from './scans/scans.module';

@Module({})
export class AppModule {
  /** `databaseUrl` is resolved by then: given, or the embedded server's. */
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        { module: ConfigHolder, global: true, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] },
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), migrationsRun: true, retryAttempts: 5, retryDelay: 1000 }),
        CqrsModule.forRoot(),
        InfrastructureModule,
        FacilitiesModule,
        LotsModule,
        ScansModule,
      ],
      controllers: [HealthHttpController],
    };
  }
}

@Module({})
class ConfigHolder {}
