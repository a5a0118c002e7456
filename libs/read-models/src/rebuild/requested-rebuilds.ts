import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StateCache } from '@app/event-store';
import { createInlineProjections, createLotProjections } from '../projection-engine';
import { Projection } from '../projection';
import { OnlineRebuild, RebuildStopped } from './online-rebuild';
import { RebuildLogger } from './rebuild-progress';

/** Lots a rebuild keeps folded: its lots' events mostly come together, and a miss is one set-based read per page. */
const REBUILD_STATES = 1_000;

/**
 * Every read model a rebuild can refill: those a transport feeds and those
 * appends write inline. The two lot tables share their folded states: each
 * lot is folded once per page, and held once.
 */
export const rebuildableProjections = (): Projection[] => [...createLotProjections(new StateCache(REBUILD_STATES)), ...createInlineProjections()];

/** Carries out the rebuilds migrations asked for, now (see OnlineRebuild). */
export const runRequestedRebuilds = (dataSource: DataSource, logger?: RebuildLogger): Promise<Record<string, number>> =>
  new OnlineRebuild(dataSource, rebuildableProjections(), logger).rebuildRequested();

/**
 * At start, before serving, in one statement: requests over an empty log
 * (a fresh install runs every migration, and some ask for rebuilds) have
 * nothing to replay and are done.
 */
export const settleRequestsWithNothingToReplay = async (dataSource: DataSource): Promise<void> => {
  await dataSource.query(`DELETE FROM read_model_rebuilds WHERE NOT EXISTS (SELECT 1 FROM events)`);
};

/** A connection able to build tables (the schema owner's), and how to let it go. */
export interface OwnerConnection {
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The requested rebuilds, run in the background once the service serves:
 * start-up never waits for them, and reads keep answering from the live
 * tables until the swap. A failure leaves the live tables and the requests
 * as they were; the next start tries again. A Nest provider: it starts
 * with the application and is stopped before the pool closes.
 */
export class BackgroundRebuilds implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private running: Promise<void> | null = null;
  private rebuild: OnlineRebuild | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly owner: () => Promise<OwnerConnection>,
    private readonly logger: RebuildLogger & { error(message: string, stack?: string): void } = new Logger('Rebuild'),
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.run().catch((e: Error) => {
      if (e instanceof RebuildStopped) this.logger.log(`${e.message}; the next start carries the requested rebuild out`);
      else this.logger.error(`requested rebuild failed (the live read models are unchanged; the next start tries again): ${e.message}`, e.stack);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.rebuild?.stop();
    await this.running;
  }

  private async run(): Promise<void> {
    const pending: unknown[] = await this.dataSource.query(`SELECT 1 FROM read_model_rebuilds LIMIT 1`);
    if (pending.length === 0 || this.stopped) return;
    const owner = await this.owner();
    try {
      this.rebuild = new OnlineRebuild(owner.dataSource, rebuildableProjections(), this.logger);
      if (this.stopped) return;
      const counts = await this.rebuild.rebuildRequested();
      for (const [name, n] of Object.entries(counts)) this.logger.log(`rebuilt ${name} as a migration asked: ${n} events replayed`);
    } finally {
      await owner.close();
    }
  }
}
