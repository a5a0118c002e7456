import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import type { AppConfig } from '../../config/app-config';
import { projectionLagging } from '../http/api-errors';
import { READ_PROGRESS, type ReadProgress } from './read-progress';

const POLL_MS = 20;

/**
 * Read-your-writes: a command answers with the global position it reached;
 * a query given `?atLeast=<position>` waits (bounded) until its read model has
 * processed that event, then reads.
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
    for (;;) {
      if (await this.progress.hasProcessed(projection, atLeast)) return;
      const waited = Date.now() - started;
      if (waited >= this.config.readWaitTimeoutMs) throw projectionLagging(projection, atLeast, waited);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}
