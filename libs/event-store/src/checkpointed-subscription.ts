import { DataSource, EntityManager } from 'typeorm';
import { Checkpoint, StoredEvent } from './event-store.types';
import { PostgresEventStore } from './postgres-event-store';

/** Is `a` later in the subscription order (transaction id, then position) than `b`? */
const isAfter = (a: Checkpoint, b: Checkpoint): boolean => {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  return ta !== tb ? ta > tb : a.globalPosition > b.globalPosition;
};

/** Handles one ordered batch inside the transaction that will also move the checkpoint. */
export type BatchHandler = (events: StoredEvent[], manager: EntityManager) => Promise<void>;

/**
 * A named reader of the whole event log. Each batch runs in one transaction
 * that locks the checkpoint row, reads, handles and advances the checkpoint,
 * so a handler that writes with `manager` applies each event exactly once,
 * and two processes running the same subscription take turns.
 */
export class CheckpointedSubscription {
  constructor(
    readonly id: string,
    private readonly store: PostgresEventStore,
    private readonly dataSource: DataSource,
    private readonly handler: BatchHandler,
    private readonly batchSize = 500,
    /** false: the events come without their signatures (not joined), for a handler that keeps none. */
    private readonly signed = true,
  ) {}

  /** Processes at most one batch; resolves to the number of events handled. */
  async processBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const checkpoint = await this.lock(manager);
      const events = await this.store.readAfter(checkpoint, this.batchSize, manager, this.signed);
      if (events.length === 0) return 0;
      await this.handler(events, manager);
      await this.advance(manager, events[events.length - 1]);
      return events.length;
    });
  }

  /**
   * Several subscriptions advanced together (a rebuild): each batch is read
   * once and handed to each subscription for the events past its own
   * checkpoint (see SubscriptionGroup). Safe beside their own workers: those
   * take turns on the same rows, and whoever comes next sees where each
   * stands. Stops at the first short batch: what was committed after is left
   * to them.
   */
  static async catchUpTogether(subscriptions: readonly CheckpointedSubscription[], batchSize: number): Promise<number> {
    if (subscriptions.length === 0) return 0;
    const [first] = subscriptions;
    const members = [...new Set(subscriptions)].map((s) => ({ id: s.id, handler: s.handler }));
    return new SubscriptionGroup(members, first.store, first.dataSource, batchSize).catchUp();
  }

  /** Processes batches until nothing visible is left; resolves to the total handled. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (let n = await this.processBatch(); n > 0; n = await this.processBatch()) total += n;
    return total;
  }

  /** Rewinds to the start, running `clear` (e.g. truncating read models) in the same transaction. */
  async reset(clear: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.lock(manager);
      await clear(manager);
      await manager.query(
        `UPDATE subscription_checkpoints SET transaction_id = '0', global_position = 0, updated_at = now()
          WHERE subscription_id = $1`,
        [this.id],
      );
    });
  }

  async checkpoint(): Promise<Checkpoint> {
    const rows = await this.dataSource.query(
      `SELECT transaction_id::text AS transaction_id, global_position FROM subscription_checkpoints WHERE subscription_id = $1`,
      [this.id],
    );
    return rows.length
      ? { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) }
      : { transactionId: '0', globalPosition: 0 };
  }

  /**
   * How far behind the log it stands: its checkpoint's position, the events
   * after it (counted up to `cap`, so a long rebuild costs a bounded index
   * scan) and how long the first of them has waited (0 when caught up).
   */
  async progress(cap = 100_000): Promise<{ position: number; lagEvents: number; lagSeconds: number }> {
    const rows = await this.dataSource.query(
      `WITH c AS (
         SELECT transaction_id, global_position FROM subscription_checkpoints WHERE subscription_id = $1
         UNION ALL
         SELECT '0'::xid8, 0 WHERE NOT EXISTS (SELECT 1 FROM subscription_checkpoints WHERE subscription_id = $1)
       )
       SELECT c.global_position,
              (SELECT count(*) FROM (SELECT 1 FROM events e
                 WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position) LIMIT $2) behind) AS lag_events,
              COALESCE(GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - (SELECT e.recorded_at FROM events e
                 WHERE (e.transaction_id, e.global_position) > (c.transaction_id, c.global_position)
                 ORDER BY e.transaction_id, e.global_position LIMIT 1))), 0) AS lag_seconds
         FROM c`,
      [this.id, cap],
    );
    return { position: Number(rows[0].global_position), lagEvents: Number(rows[0].lag_events), lagSeconds: Number(rows[0].lag_seconds) };
  }

  /** Has the event at this global position been handled? (Positions are not handled in numeric order.) */
  async hasProcessed(position: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM events e JOIN subscription_checkpoints c ON c.subscription_id = $2
        WHERE e.global_position = $1
          AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)`,
      [position, this.id],
    );
    return rows.length > 0;
  }

  private async advance(manager: EntityManager, last: StoredEvent): Promise<void> {
    await manager.query(
      `UPDATE subscription_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
        WHERE subscription_id = $1`,
      [this.id, last.transactionId, last.globalPosition],
    );
  }

  private async lock(manager: EntityManager): Promise<Checkpoint> {
    await manager.query(
      `INSERT INTO subscription_checkpoints (subscription_id) VALUES ($1) ON CONFLICT (subscription_id) DO NOTHING`,
      [this.id],
    );
    const rows = await manager.query(
      `SELECT transaction_id::text AS transaction_id, global_position FROM subscription_checkpoints
        WHERE subscription_id = $1 FOR UPDATE`,
      [this.id],
    );
    return { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) };
  }
}

/** One member of a group: a checkpoint row of its own, and what handles the events past it. */
export interface GroupMember {
  readonly id: string;
  readonly handler: BatchHandler;
}

/** A member's handler failed: the batch is rolled back, and the error names whose it was. */
export class MemberFailedError extends Error {
  constructor(
    readonly memberId: string,
    readonly cause: Error,
  ) {
    super(cause.message);
    this.stack = cause.stack;
  }
}

/**
 * Several checkpointed subscriptions read as one: each batch locks every
 * member's row (one statement, in id order, as CheckpointedSubscription
 * does one), reads the log once from the earliest of them, hands each member
 * the events past its own checkpoint and moves the rows that were behind (one
 * statement), all in one transaction. Members normally stand together; one
 * rewound (a rebuild) is brought up while the others skip what they hold.
 */
export class SubscriptionGroup {
  private readonly ids: string[];

  constructor(
    private readonly members: readonly GroupMember[],
    private readonly store: PostgresEventStore,
    private readonly dataSource: DataSource,
    readonly batchSize = 500,
    /** Runs after the members, in the same transaction (e.g. telling waiters in other processes). */
    private readonly afterBatch?: BatchHandler,
    /** false: the events come without their signatures (not joined), for members that store none. */
    private readonly signed = true,
  ) {
    this.ids = [...members.map((m) => m.id)].sort();
  }

  /** Processes at most one batch; resolves to the events read (all members' handlers ran on them). */
  async processBatch(): Promise<StoredEvent[]> {
    return this.dataSource.transaction(async (manager) => {
      const at = await this.lock(manager);
      const from = [...at.values()].reduce((min, c) => (isAfter(min, c) ? c : min));
      const events = await this.store.readAfter(from, this.batchSize, manager, this.signed);
      if (events.length === 0) return events;
      for (const m of this.members) {
        const mine = events.filter((e) => isAfter(e, at.get(m.id)!));
        if (mine.length === 0) continue;
        try {
          await m.handler(mine, manager);
        } catch (e) {
          throw new MemberFailedError(m.id, e instanceof Error ? e : new Error(String(e)));
        }
      }
      await this.afterBatch?.(events, manager);
      const last = events[events.length - 1];
      await manager.query(
        `UPDATE subscription_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
          WHERE subscription_id = ANY($1) AND (transaction_id, global_position) < ($2::xid8, $3)`,
        [this.ids, last.transactionId, last.globalPosition],
      );
      return events;
    });
  }

  /** Batches until a short one (what was visible is done); resolves to the events read. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = (await this.processBatch()).length;
      total += n;
      if (n < this.batchSize) return total;
    }
  }

  /** Every member's row, locked until the transaction ends; missing rows are created at the start of the log. */
  private async lock(manager: EntityManager): Promise<Map<string, Checkpoint>> {
    const select = () =>
      manager.query(
        `SELECT subscription_id, transaction_id::text AS transaction_id, global_position FROM subscription_checkpoints
          WHERE subscription_id = ANY($1) ORDER BY subscription_id FOR UPDATE`,
        [this.ids],
      ) as Promise<{ subscription_id: string; transaction_id: string; global_position: string }[]>;
    let rows = await select();
    if (rows.length < this.ids.length) {
      await manager.query(
        `INSERT INTO subscription_checkpoints (subscription_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (subscription_id) DO NOTHING`,
        [this.ids],
      );
      rows = await select();
    }
    return new Map(rows.map((r) => [r.subscription_id, { transactionId: r.transaction_id, globalPosition: Number(r.global_position) }]));
  }
}
