import { Controller, Get, Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { checkReadiness, probePart, statePart } from '@app/platform';
import { Public } from '../access/route-policy';
import { ApiError } from '../common/http/api-errors';
import { TRANSPORT, type Transport } from '../infrastructure.module';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-error.response';
import { HealthResponse, LiveResponse, ReadyResponse } from './health.response';

/**
 * `GET /api/health`: the event log's head and how far the read side (or the
 * relay) trails it. `live`: the process serves HTTP. `ready`: it can do its
 * job: the database answers, and the read side is fed (embedded: every
 * projection running without a failing batch; Kafka: the broker answers and
 * the relay publishes); 503 NOT_READY naming the failing parts otherwise.
 */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @Public({ rateLimited: false })
  @ApiOperation({ summary: 'Status', description: "The event log's head and how far the projections (or the relay) trail it." })
  @ApiOkResponse({ type: HealthResponse })
  @ApiErrors({ 503: ['DATABASE_UNAVAILABLE'] })
  async status() {
    return {
      status: 'ok',
      mode: this.transport.mode,
      database: this.dataSource.isInitialized ? 'up' : 'down',
      headPosition: await this.store.headPosition(),
      ...(await this.transport.health()),
    };
  }

  /** Touches nothing: a process that answers is alive (a database outage is readiness's business, not a reason to restart). */
  @Get('live')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: 'Liveness', description: 'The process serves HTTP; touches nothing else.' })
  @ApiOkResponse({ type: LiveResponse })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public({ rateLimited: false })
  @ApiOperation({ summary: 'Readiness', description: 'The database answers and the read side is fed (embedded: every projection running; Kafka: the broker answers and the relay publishes).' })
  @ApiOkResponse({ type: ReadyResponse })
  @ApiErrors({ 503: ['NOT_READY'] })
  async ready() {
    const parts = this.transport.readiness();
    const checked = await checkReadiness(this.health, [
      // The events table, not just a connection: a locked or unreachable event store is what keeps us from serving.
      probePart(this.indicators, 'database', async () => ({ headPosition: await this.store.headPosition() })),
      ...(await parts.catch((e: Error) => [{ name: 'transport', up: false, data: { message: e.message } }])).map((p) =>
        statePart(this.indicators, p.name, async () => p),
      ),
    ]);
    if (!checked.ready) throw new ApiError(503, 'NOT_READY', checked.body.message, checked.body.details);
    return { status: checked.result.status, mode: this.transport.mode, checks: checked.result.details };
  }
}
