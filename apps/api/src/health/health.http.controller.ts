import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { Public } from '../access/route-policy';
import { TRANSPORT, type Transport } from '../infrastructure.module';

/** Liveness, the event log's head, and how far the read side (or the relay) trails it. */
@Controller('health')
export class HealthHttpController {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(TRANSPORT) private readonly transport: Transport,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  async health() {
    return {
      status: 'ok',
      mode: this.transport.mode,
      database: this.dataSource.isInitialized ? 'up' : 'down',
      headPosition: await this.store.headPosition(),
      ...(await this.transport.health()),
    };
  }
}
