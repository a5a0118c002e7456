import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/app-config';
import { projectionLagging } from '../http/api-errors';
import { READ_PROGRESS, type ReadProgress } from './read-progress';

/**
 * Read-your-writes: a command answers with the global position it reached;
 * a query given `?atLeast=<position>` waits (bounded) until its read model has
 * processed that event, then reads. The wait is woken by the projections'
 * progress (see ProgressWaits).
 */
@Injectable()
export class ReadModelGate {
  constructor(
    @Inject(READ_PROGRESS) private readonly progress: ReadProgress,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reach(projection: string, atLeast: number | undefined): Promise<void> {
    if (atLeast === undefined || atLeast <= 0) return;
    const started = Date.now();
    if (await this.progress.waitFor(projection, atLeast, this.config.readWaitTimeoutMs)) return;
    throw projectionLagging(projection, atLeast, Date.now() - started);
  }
}
