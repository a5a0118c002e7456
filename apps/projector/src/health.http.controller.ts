import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { checkReadiness, probePart, statePart, withinMs } from '@app/platform';
import { ProjectorService } from './projector.service';

/**
 * `GET /health`: broker connection, consumer lag and counters, parked lots.
 * `live`: the process serves HTTP. `ready`: the database answers and the
 * consumer is connected to the broker (503 NOT_READY naming the failing
 * parts otherwise). Parked lots make it `degraded`, still 200: every other
 * lot is projected, readers of a parked lot are told it is stale (503
 * PROJECTION_STALE), and the projector heals it from the event store;
 * restarting or routing around it would not help. The lots are listed.
 */
@Controller('health')
export class ProjectorHealthHttpController {
  constructor(
    @Inject(ProjectorService) private readonly projector: ProjectorService,
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  async status() {
    const stats = this.projector.consumer.stats;
    let lag: unknown;
    try {
      lag = await this.projector.consumer.lag();
    } catch (e) {
      lag = { error: (e as Error).message };
    }
    // Lots the projector could not bring up to date (their readers are told they are stale) until healed from the store.
    const parked = await this.projector.inbox.parked(10);
    return { status: stats.connected ? 'ok' : 'degraded', broker: { connected: stats.connected }, lag, ...stats, parkedLots: parked };
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready() {
    // One query answers both: the database is there, and which lots are parked.
    const parked = withinMs(this.projector.inbox.parked(10));
    parked.catch(() => undefined);
    const stats = this.projector.consumer.stats;
    const checks: HealthIndicatorFunction[] = [
      probePart(this.indicators, 'database', async () => void (await parked)),
      statePart(this.indicators, 'broker', async () => ({ up: stats.connected, data: { connected: stats.connected, lastError: stats.lastError } })),
      statePart(this.indicators, 'parkedLots', async () => {
        const p = await parked.catch(() => null);
        return p ? { up: true, degraded: p.count > 0, data: { ...p } } : { up: true, data: { count: null } };
      }),
    ];
    const checked = await checkReadiness(this.health, checks);
    if (!checked.ready) throw new ServiceUnavailableException(checked.body);
    return { status: checked.result.status, checks: checked.result.details };
  }
}
