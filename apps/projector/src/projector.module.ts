import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TerminusModule } from '@nestjs/terminus';
import { createRootLogger, dataSourceOptions, loggingModule, openOwnerConnection, RootLogger, runMigrationsLocked } from '@app/platform';
import { BackgroundRebuilds, createLotProjections, InboxProjector, settleRequestsWithNothingToReplay } from '@app/read-models';
import { ProjectorHealthHttpController } from './health.http.controller';
import { PROJECTOR_CONFIG, ProjectorMetricsHttpController } from './metrics.http.controller';
import { ProjectorConfig } from './projector-config';
import { ProjectorMetrics } from './projector-metrics';
import { ProjectorService } from './projector.service';

@Module({})
export class ProjectorModule {
  /** `log`: the process's root logger when the caller made one (main.ts; tests read the lines back). */
  static forRoot(config: ProjectorConfig & { databaseUrl: string; log?: RootLogger }): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        loggingModule(config.log ?? createRootLogger({ service: 'projector', ...config })),
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, config), migrationsRun: false, retryAttempts: 5, retryDelay: 1000 }),
        // Readiness (GET /health/ready); a failing check is answered 503, not logged again.
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [ProjectorHealthHttpController, ProjectorMetricsHttpController],
      providers: [
        {
          provide: InboxProjector,
          inject: [getDataSourceToken()],
          useFactory: async (ds: DataSource) => {
            await runMigrationsLocked(ds, config.migrationsDatabaseUrl ?? null);
            await settleRequestsWithNothingToReplay(ds);
            return new InboxProjector(createLotProjections(), ds);
          },
        },
        // The rebuilds migrations asked for: in the background (whichever of api and projector starts first), never before it serves.
        {
          provide: BackgroundRebuilds,
          inject: [getDataSourceToken(), InboxProjector],
          useFactory: (ds: DataSource) => new BackgroundRebuilds(ds, () => openOwnerConnection(ds, config.migrationsDatabaseUrl ?? null)),
        },
        { provide: ProjectorService, inject: [InboxProjector], useFactory: (inbox: InboxProjector) => new ProjectorService(config.kafka, inbox, config.healEveryMs) },
        { provide: PROJECTOR_CONFIG, useValue: config },
        { provide: ProjectorMetrics, inject: [ProjectorService], useFactory: (p: ProjectorService) => new ProjectorMetrics(p, config.kafka.lotEventsTopic) },
      ],
    };
  }
}
