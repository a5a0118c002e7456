import { Logger } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { APPEND_LOCK, Checkpoint, PostgresEventStore } from '@app/event-store';
import { Projection, REBUILD_LOCK, subscriptionIdOf } from '../projection';
import { announceChanged } from '../read-model-changes';
import { RebuildLogger, RebuildProgress } from './rebuild-progress';
import { NEXT_SCHEMA, ShadowTables } from './shadow-tables';

/** Events per page: a keyset page of the log read once for every projection rebuilt (two in memory at a time). */
const PAGE = 2_000;

/**
 * Held (session lock) by the one rebuild running across every process: a
 * second waits (the CLI) or leaves it to the first (a service at start).
 */
export const REBUILD_RUN_LOCK = 7_305_006;

/**
 * The swap waits this long for the locks it needs (the appenders', then each
 * table's); past it, it gives way (a command never fails for a rebuild's
 * sake), catches up again and retries. Below PostgreSQL's deadlock_timeout
 * (1 s), so it is the swap that yields, never the other side.
 */
const SWAP_LOCK_TIMEOUT = '500ms';
const SWAP_ATTEMPTS = 20;
const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK = '40P01';

const START: Checkpoint = { transactionId: '0', globalPosition: 0 };

/** Thrown out of a rebuild asked to stop (the service shutting down): the request stays, the next start carries it out. */
export class RebuildStopped extends Error {
  constructor() {
    super('rebuild stopped before it finished; the read models were left as they were');
    this.name = 'RebuildStopped';
  }
}

/**
 * Rebuilds read models online: new tables are built beside the live ones
 * (NEXT_SCHEMA) from the whole log while the service keeps reading and
 * projecting into the old, then swapped in by one short transaction.
 *
 * Why no event is lost or applied twice: the swap transaction holds the
 * appenders' lock exclusively (no event commits meanwhile), the rebuild lock
 * the Kafka projector applies under, and the rebuilt projections' checkpoint
 * rows (their live runners wait); it folds into the new tables the events
 * committed since the last page, swaps, and sets those checkpoints to the
 * last event folded, the head. The new tables hold every event up to it,
 * none after, and the runners go on from it. Inline projections are written
 * by appends, which wait for the swap. (Were a checkpoint behind, applying
 * again what is there would change nothing: every apply is idempotent per
 * event.)
 *
 * Runs on its own connection as the schema owner (it creates, moves and
 * drops tables), without a statement timeout.
 */
export class OnlineRebuild {
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly projections: readonly Projection[],
    private readonly logger: RebuildLogger = new Logger('Rebuild'),
    private readonly pageSize = PAGE,
  ) {}

  /**
   * Every projection (or those named), whatever was requested; waits for a rebuild running elsewhere.
   * `onProgress`: told of every page (events done, of about how many).
   */
  rebuild(names?: readonly string[], onProgress?: (done: number, total: number) => void): Promise<Record<string, number>> {
    const chosen = this.projections.filter((p) => !names || names.includes(p.name));
    return this.underRunLock(true, (runner) => this.build(runner, chosen, onProgress)).then((counts) => counts ?? {});
  }

  /**
   * The rebuilds migrations asked for (read_model_rebuilds). Another process
   * already rebuilding: left to it ({}), it takes the requests it finds.
   */
  rebuildRequested(): Promise<Record<string, number>> {
    return this.underRunLock(false, async (runner) => {
      const requested: { projection: string }[] = await runner.query(`SELECT projection FROM read_model_rebuilds`);
      const names = new Set(requested.map((r) => r.projection));
      const chosen = this.projections.filter((p) => names.has(p.name));
      return chosen.length === 0 ? {} : this.build(runner, chosen);
    }).then((counts) => counts ?? {});
  }

  /** Asks a running rebuild to stop at its next page (shutdown); its new tables are dropped. */
  stop(): void {
    this.stopping = true;
  }

  private async build(runner: QueryRunner, chosen: readonly Projection[], onProgress?: (done: number, total: number) => void): Promise<Record<string, number>> {
    if (chosen.length === 0) return {};
    const what = chosen.map((p) => p.name).join(', ');
    const [{ last }]: { last: string | null }[] = await runner.query(`SELECT max(global_position) AS last FROM events`);
    const progress = new RebuildProgress(this.logger, what, Number(last ?? 0), onProgress);
    const shadow = await ShadowTables.prepare(runner, chosen.flatMap((p) => p.tables));
    try {
      // Unqualified names (the projections' own SQL) now mean the new tables; the log stays where it is.
      await runner.query(`SET search_path TO ${NEXT_SCHEMA}, "${shadow.live}"`);
      this.logger.log(`rebuilding ${what} beside the live tables (schema ${NEXT_SCHEMA}), from ${Number(last ?? 0).toLocaleString('en-US')} events; reads keep answering from the live tables`);
      let at = await this.foldPages(runner, chosen, START, progress, true);
      await shadow.index();
      at = await this.foldPages(runner, chosen, at, progress, true);
      await this.swap(runner, chosen, shadow, at, progress);
      this.logger.log(`rebuilt ${what}: ${progress.finished()}, swapped in`);
      return Object.fromEntries(chosen.map((p) => [p.name, progress.done]));
    } finally {
      await runner.query(`SET search_path TO "${shadow.live}"`).catch(() => undefined);
      await shadow.drop().catch((e: Error) => this.logger.warn(`could not drop the rebuild's leftover tables: ${e.message}`));
    }
  }

  /**
   * Pages of the log after `at`, each read once and applied to every chosen
   * projection. `ownTransactions`: each page commits on its own (the bulk);
   * else they run in the caller's transaction (the swap). Stops at the first
   * short page: what was visible is done.
   */
  private async foldPages(runner: QueryRunner, chosen: readonly Projection[], from: Checkpoint, progress: RebuildProgress, ownTransactions: boolean): Promise<Checkpoint> {
    const store = new PostgresEventStore(this.dataSource);
    // In its own transactions, the next page is read (on another connection) while this one is applied: PostgreSQL
    // writes one page as this process parses the next. Inside the swap, every read is the swap transaction's own.
    // Without signatures: no projection stores them (history joins them at read time).
    const read = (after: Checkpoint) => store.readAfter(after, this.pageSize, ownTransactions ? undefined : runner.manager, false);
    let at = from;
    let next = read(at);
    for (;;) {
      const events = await next;
      if (this.stopping) throw new RebuildStopped();
      const last = events.at(-1);
      const full = events.length === this.pageSize;
      if (full && ownTransactions) next = read({ transactionId: last!.transactionId, globalPosition: last!.globalPosition });
      if (ownTransactions) await runner.startTransaction();
      try {
        for (const p of chosen) await p.apply(events, runner.manager);
        if (ownTransactions) await runner.commitTransaction();
      } catch (e) {
        if (ownTransactions) await runner.rollbackTransaction().catch(() => undefined);
        // A read already under way must not be left to fail unheard.
        await next.catch(() => undefined);
        throw e;
      }
      if (last) {
        at = { transactionId: last.transactionId, globalPosition: last.globalPosition };
        progress.advance(events.length, last.globalPosition);
      }
      // A short page reached what was visible: done.
      if (!full) return at;
      if (!ownTransactions) next = read(at);
    }
  }

  /** One short transaction: no appends, no Kafka applies; the last events folded; the tables swapped; the requests done. */
  private async swap(runner: QueryRunner, chosen: readonly Projection[], shadow: ShadowTables, from: Checkpoint, progress: RebuildProgress): Promise<void> {
    let at = from;
    for (let attempt = 1; ; attempt++) {
      const doneBefore = progress.done;
      await runner.startTransaction();
      try {
        await runner.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
        await runner.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
        await runner.query('SELECT pg_advisory_xact_lock($1)', [REBUILD_LOCK]);
        // Before any table: a live runner takes its checkpoint row first too, so the two cannot wait on each other.
        const ids = chosen.map(subscriptionIdOf).sort();
        await runner.query(`INSERT INTO subscription_checkpoints (subscription_id) SELECT unnest($1::text[]) ON CONFLICT (subscription_id) DO NOTHING`, [ids]);
        await runner.query(`SELECT 1 FROM subscription_checkpoints WHERE subscription_id = ANY($1) ORDER BY subscription_id FOR UPDATE`, [ids]);
        const head = await this.foldPages(runner, chosen, at, progress, false);
        await shadow.swap();
        // The new tables hold every event up to the head, and nothing after it has committed: each runner goes on from there.
        await runner.query(
          `UPDATE subscription_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now() WHERE subscription_id = ANY($1)`,
          [ids, head.transactionId, head.globalPosition],
        );
        for (const table of shadow.tables) await announceChanged(runner.manager, table, null);
        await runner.query(`DELETE FROM read_model_rebuilds WHERE projection = ANY($1)`, [chosen.map((p) => p.name)]);
        await runner.commitTransaction();
        return;
      } catch (e) {
        await runner.rollbackTransaction().catch(() => undefined);
        progress.done = doneBefore;
        const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
        if ((code !== LOCK_NOT_AVAILABLE && code !== DEADLOCK) || attempt >= SWAP_ATTEMPTS) throw e;
        this.logger.warn(`swap attempt ${attempt} gave way to the service's own locks; catching up and trying again`);
        // The rolled-back pages are folded again, outside, before the next attempt.
        at = await this.foldPages(runner, chosen, at, progress, true);
      }
    }
  }

  private async underRunLock<T>(wait: boolean, work: (runner: QueryRunner) => Promise<T>): Promise<T | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Long statements (index builds over millions of rows) are this session's job; a rebuild is not a request.
      await runner.query('SET statement_timeout = 0');
      await runner.query('SET synchronous_commit = off');
      if (wait) {
        const [{ free }]: { free: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS free', [REBUILD_RUN_LOCK]);
        if (!free) {
          this.logger.log('another rebuild is running: waiting for it to finish');
          await runner.query('SELECT pg_advisory_lock($1)', [REBUILD_RUN_LOCK]);
        }
      } else {
        const [{ free }]: { free: boolean }[] = await runner.query('SELECT pg_try_advisory_lock($1) AS free', [REBUILD_RUN_LOCK]);
        if (!free) return null;
      }
      try {
        return await work(runner);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [REBUILD_RUN_LOCK]).catch(() => undefined);
      }
    } finally {
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.query('RESET synchronous_commit').catch(() => undefined);
      await runner.release();
    }
  }
}
