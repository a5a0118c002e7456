import { Global, Inject, Logger, Module, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { createLotProjections, ProjectionEngine } from '@app/read-models';
import { CommandExecutor } from './common/commands/command-executor';
import { ReadModelGate } from './common/queries/read-model-gate';
import { APP_CONFIG } from './config/config.tokens';
import type { AppConfig } from './config/app-config';

/** Runs the in-process projections for as long as the app lives (embedded mode). */
class EmbeddedProjections implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runProjections) return;
    this.engine.start(this.store.appended, { pollIntervalMs: this.config.projectionPollMs, retryDelayMs: 1000 }, this.logger);
    this.logger.log(`in-process projections running: ${this.engine.projections.map((p) => p.name).join(', ')}`);
  }

  // Before TypeORM closes its pool (that happens in onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: PostgresEventStore,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => new PostgresEventStore(dataSource),
    },
    {
      provide: ProjectionEngine,
      inject: [PostgresEventStore, getDataSourceToken()],
      useFactory: (store: PostgresEventStore, dataSource: DataSource) =>
        new ProjectionEngine(createLotProjections(), store, dataSource),
    },
    CommandExecutor,
    ReadModelGate,
    EmbeddedProjections,
  ],
  exports: [PostgresEventStore, ProjectionEngine, CommandExecutor, ReadModelGate],
})
export class InfrastructureModule {}
