import { DataSource } from 'typeorm';
import { AppendSignal, CheckpointedSubscription, InlineProjection, PostgresEventStore, StateCache, WorkerLogger } from '@app/event-store';
import { Projection, subscriptionIdOf } from './projection';
import { AppendWakes, ProjectionRunner, RunnerOptions } from './projection-runner';
import { LotHistoryProjection } from './projections/lot-history.projection';
import { LotSummaryProjection } from './projections/lot-summary.projection';
import { SaleEligibilityProjection } from './projections/sale-eligibility.projection';
import { RecallsProjection } from './projections/recalls.projection';
import { GenealogyProjection } from './projections/genealogy.projection';
import { ApiKeysProjection } from './projections/api-keys.projection';
import { LotDocumentsProjection } from './projections/lot-documents.projection';
import { SightingsProjection } from './projections/sightings.projection';
import { LotStates } from './projections/lot-states';

/** Lot states kept by a process that shares no cache with a command side (the projector, a rebuild). */
const OWN_LOT_STATES = 5_000;

/**
 * The read models fed by a transport (in-process runner or Kafka), folding
 * lots through the process's one state cache (their own, in a process
 * without commands: the projector, a rebuild).
 */
export const createLotProjections = (states: StateCache = new StateCache(OWN_LOT_STATES)): Projection[] => {
  const lots = new LotStates(states);
  return [new LotSummaryProjection(lots), new LotHistoryProjection(), new SaleEligibilityProjection(lots), new RecallsProjection()];
};

/** Written in the append's own transaction (see PostgresEventStore's inline projections); rebuilt with the others. */
export const createInlineProjections = (): Projection[] => [new GenealogyProjection(), new ApiKeysProjection(), new LotDocumentsProjection(), new SightingsProjection()];

/**
 * What an appending store runs in each append's transaction: the inline
 * projections (the notification that wakes every projection runner is sent
 * by the append statement itself).
 */
export const createInlineHandlers = (): InlineProjection[] =>
  createInlineProjections().map((p): InlineProjection => (events, manager) => p.apply(events, manager));

/**
 * The embedded (in-process) transport: one runner reads the log once for
 * every projection (see ProjectionRunner). Each projection keeps its own
 * checkpoint row, which the runner moves with the others, and a
 * subscription over it for progress.
 */
export class ProjectionEngine {
  private readonly subscriptions = new Map<string, CheckpointedSubscription>();
  readonly runner: ProjectionRunner;

  constructor(
    readonly projections: readonly Projection[],
    store: PostgresEventStore,
    dataSource: DataSource,
    wakes: AppendWakes | null = null,
  ) {
    this.runner = new ProjectionRunner(projections, store, dataSource, wakes);
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

  start(signal: AppendSignal, options: RunnerOptions, logger: WorkerLogger): void {
    this.runner.start(signal, options, logger);
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Runs every projection until it has seen everything committed so far; resolves to the events read. */
  async catchUp(): Promise<Record<string, number>> {
    const read = await this.runner.catchUp();
    return Object.fromEntries(this.projections.map((p) => [p.name, read]));
  }

  health(): Record<string, { running: boolean; lastError: string | null }> {
    return this.runner.health();
  }
}
