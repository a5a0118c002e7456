import { DataSource } from 'typeorm';
import {
  AppendSignal,
  CheckpointedSubscription,
  PostgresEventStore,
  SubscriptionWorker,
  WorkerLogger,
  WorkerOptions,
} from '@app/event-store';
import { Projection, subscriptionIdOf } from './projection';
import { LotHistoryProjection } from './projections/lot-history.projection';
import { LotSummaryProjection } from './projections/lot-summary.projection';
import { SaleEligibilityProjection } from './projections/sale-eligibility.projection';
import { RecallsProjection } from './projections/recalls.projection';
import { GenealogyProjection } from './projections/genealogy.projection';
import { ApiKeysProjection } from './projections/api-keys.projection';
import { LotDocumentsProjection } from './projections/lot-documents.projection';
import { SightingsProjection } from './projections/sightings.projection';

/** The read models fed by a transport (in-process subscription or Kafka). */
export const createLotProjections = (): Projection[] => [
  new LotSummaryProjection(),
  new LotHistoryProjection(),
  new SaleEligibilityProjection(),
  new RecallsProjection(),
];

/** Written in the append's own transaction (see PostgresEventStore's inline projections); rebuilt with the others. */
export const createInlineProjections = (): Projection[] => [new GenealogyProjection(), new ApiKeysProjection(), new LotDocumentsProjection(), new SightingsProjection()];

/**
 * The embedded (in-process) transport: each projection follows the event
 * store through its own checkpointed subscription.
 */
export class ProjectionEngine {
  private readonly subscriptions = new Map<string, CheckpointedSubscription>();
  private workers: SubscriptionWorker[] = [];

  constructor(
    readonly projections: readonly Projection[],
    store: PostgresEventStore,
    dataSource: DataSource,
  ) {
    for (const p of projections) {
      this.subscriptions.set(
        p.name,
        new CheckpointedSubscription(subscriptionIdOf(p), store, dataSource, (events, manager) => p.apply(events, manager)),
      );
    }
  }

  subscription(name: string): CheckpointedSubscription {
    const s = this.subscriptions.get(name);
    if (!s) throw new Error(`no projection named ${name}`);
    return s;
  }

  start(signal: AppendSignal, options: WorkerOptions, logger: WorkerLogger): void {
    this.workers = [...this.subscriptions.values()].map((s) => new SubscriptionWorker(s, signal, options, logger));
    for (const w of this.workers) w.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
    this.workers = [];
  }

  /** Runs every projection until it has seen everything committed so far. */
  async catchUp(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [name, s] of this.subscriptions) counts[name] = await s.catchUp();
    return counts;
  }

  health(): Record<string, { running: boolean; lastError: string | null }> {
    return Object.fromEntries(this.workers.map((w) => [w.subscription.id, w.health]));
  }
}
