import { DataSource } from 'typeorm';
import { AppendSignal, CheckpointedSubscription, InlineProjection, notifyAppended, PostgresEventStore, StateCache, WorkerLogger } from '@app/event-store';
import { Projection, REBUILD_LOCK, subscriptionIdOf } from './projection';
import { AppendWakes, ProjectionRunner, RunnerOptions } from './projection-runner';
import { announceChanged } from './read-model-changes';
import { LotHistoryProjection } from './projections/lot-history.projection';
import { LotSummaryProjection } from './projections/lot-summary.projection';
import { SaleEligibilityProjection } from './projections/sale-eligibility.projection';
import { RecallsProjection } from './projections/recalls.projection';
import { GenealogyProjection } from './projections/genealogy.projection';
import { ApiKeysProjection } from './projections/api-keys.projection';
import { LotDocumentsProjection } from './projections/lot-documents.projection';
import { SightingsProjection } from './projections/sightings.projection';
import { LotStates } from './projections/lot-states';

/** Events per replay batch: large, as nothing else waits on a rebuild's transactions. */
const REPLAY_BATCH = 5_000;

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
 * projections, then the notification that wakes every projection runner.
 */
export const createInlineHandlers = (): InlineProjection[] => [
  ...createInlineProjections().map((p): InlineProjection => (events, manager) => p.apply(events, manager)),
  notifyAppended,
];

/**
 * After migrations, before anything reads or projects: every rebuild a
 * migration requested, by whichever process starts first (api or projector).
 */
export const runRequestedRebuilds = (dataSource: DataSource): Promise<Record<string, number>> =>
  new ProjectionEngine([...createLotProjections(), ...createInlineProjections()], new PostgresEventStore(dataSource), dataSource).rebuildRequested();

/**
 * The embedded (in-process) transport: one runner reads the log once for
 * every projection (see ProjectionRunner). Each projection keeps its own
 * checkpoint row, which the runner moves with the others, and a
 * subscription over it for rebuilds and progress.
 */
export class ProjectionEngine {
  private readonly subscriptions = new Map<string, CheckpointedSubscription>();
  readonly runner: ProjectionRunner;

  constructor(
    readonly projections: readonly Projection[],
    store: PostgresEventStore,
    private readonly dataSource: DataSource,
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

  /** Empties each projection's tables (or only those named) and replays it from position 0. */
  async rebuild(names?: readonly string[]): Promise<Record<string, number>> {
    return this.underRebuildLock(async () => {
      const chosen = this.projections.filter((p) => !names || names.includes(p.name));
      return this.replay(chosen);
    });
  }

  /**
   * Carries out the rebuilds a migration asked for (read_model_rebuilds):
   * rows reshaped by a migration are refilled by the code that reads them.
   * Run before the projections start; a second process arriving meanwhile
   * waits on the lock, then finds nothing left to do.
   */
  async rebuildRequested(): Promise<Record<string, number>> {
    return this.underRebuildLock(async () => {
      const requested: { projection: string }[] = await this.dataSource.query(`SELECT projection FROM read_model_rebuilds`);
      const names = new Set(requested.map((r) => r.projection));
      const chosen = this.projections.filter((p) => names.has(p.name));
      return chosen.length === 0 ? {} : this.replay(chosen);
    });
  }

  /** Empties the projections, then replays the log into all of them at once: each batch read once, in large batches. */
  private async replay(chosen: readonly Projection[]): Promise<Record<string, number>> {
    for (const p of chosen) {
      await this.subscription(p.name).reset(async (manager) => {
        await manager.query(`TRUNCATE ${p.tables.join(', ')}`);
        for (const table of p.tables) await announceChanged(manager, table, null);
      });
    }
    const replayed = await CheckpointedSubscription.catchUpTogether(chosen.map((p) => this.subscription(p.name)), REPLAY_BATCH);
    const counts: Record<string, number> = Object.fromEntries(chosen.map((p) => [p.name, replayed]));
    // Whatever a migration asked of these is done.
    await this.dataSource.query(`DELETE FROM read_model_rebuilds WHERE projection = ANY($1)`, [chosen.map((p) => p.name)]);
    return counts;
  }

  private async underRebuildLock<T>(work: () => Promise<T>): Promise<T> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [REBUILD_LOCK]);
      return await work();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [REBUILD_LOCK]).catch(() => undefined);
      await lock.release();
    }
  }

  health(): Record<string, { running: boolean; lastError: string | null }> {
    return this.runner.health();
  }
}
