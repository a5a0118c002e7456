import { Controller, Get, Inject } from '@nestjs/common';
import { ProjectorService } from './projector.service';

/** Broker connection, consumer lag and counters. */
@Controller('health')
export class ProjectorHealthHttpController {
  constructor(@Inject(ProjectorService) private readonly projector: ProjectorService) {}

  @Get()
  async health() {
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
}
