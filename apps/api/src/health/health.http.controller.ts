import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionEngine } from '@app/read-models';

/** Liveness and how far each read model trails the event log. */
@Controller('health')
export class HealthHttpController {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
  ) {}

  @Get()
  async health() {
    const head = await this.store.headPosition();
    const workers = this.engine.health();
    const projections: Record<string, unknown> = {};
    for (const p of this.engine.projections) {
      const s = this.engine.subscription(p.name);
      const checkpoint = await s.checkpoint();
      projections[p.name] = { checkpoint: checkpoint.globalPosition, ...(workers[s.id] ?? { running: false, lastError: null }) };
    }
    return { status: 'ok', database: this.dataSource.isInitialized ? 'up' : 'down', headPosition: head, projections };
  }
}
