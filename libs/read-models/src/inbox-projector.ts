import { DataSource, EntityManager } from 'typeorm';
import { isLotStreamId, traceCodeOfStream } from '@app/domain';
import { readStreamRanges, StoredEvent } from '@app/event-store';
import { Projection, REBUILD_LOCK } from './projection';
import { announceChanged, announceProgress } from './read-model-changes';
import { isLotEvent } from './projections/lot-states';

type Outcome = 'APPLIED' | 'DEAD_LETTERED' | 'HEALED';

/** Lots healed from the store per pass of the healer (the rest wait for the next pass). */
const HEAL_PASS = 100;

/** A lot the projector could not bring up to date, as readers are told. */
export interface ParkedLot {
  readonly streamId: string;
  readonly reason: string;
  readonly since: string;
  readonly attempts: number;
  readonly lastError: string | null;
}

/**
 * Applies events that arrive by a transport with redelivery (Kafka): each
 * event is claimed in `projector_inbox` by its id in the same transaction that
 * updates every read model, so a redelivered event changes nothing.
 *
 * A lot's events must be folded without a hole. When a lot's next event is
 * not the one after what its read models hold (a message lost or
 * dead-lettered), or the lot is parked, the missing events are fetched from
 * the event store (same database) and applied in order instead; if that
 * fails, the lot is parked in `projector_parked` (readers are told it is
 * stale) and nothing is folded on top, until a heal succeeds.
 */
export class InboxProjector {
  constructor(
    readonly projections: readonly Projection[],
    private readonly dataSource: DataSource,
  ) {}

  async apply(events: readonly StoredEvent[]): Promise<{ applied: number; duplicates: number; healed: number }> {
    if (events.length === 0) return { applied: 0, duplicates: 0, healed: 0 };
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [REBUILD_LOCK]);
      const fresh = await this.claim(manager, events, 'APPLIED');
      const { ready, holed } = await this.split(manager, fresh);
      for (const p of this.projections) await p.apply(ready, manager);
      let healed = 0;
      for (const streamId of holed) if (await this.heal(manager, streamId, 'events arrived with a version gap')) healed++;
      // `?atLeast=` waiters in the api look again once this commits.
      await announceProgress(manager);
      return { applied: fresh.length, duplicates: events.length - fresh.length, healed };
    });
  }

  /**
   * A dead-lettered message: remembered so read-your-writes does not wait for
   * it for ever, and its lot parked (when known) until the store heals it.
   */
  async deadLettered(d: { eventId?: string; globalPosition?: number; streamId?: string; reason: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (d.eventId && d.globalPosition && d.streamId) {
        await manager.query(
          `INSERT INTO projector_inbox (event_id, global_position, stream_id, outcome) VALUES ($1, $2, $3, 'DEAD_LETTERED')
           ON CONFLICT (event_id) DO NOTHING`,
          [d.eventId, d.globalPosition, d.streamId],
        );
      }
      if (d.streamId && isLotStreamId(d.streamId)) await this.park(manager, d.streamId, `dead-lettered: ${d.reason}`, null);
      await announceProgress(manager);
    });
  }

  /** One pass over the parked lots: each healed from the store in its own transaction, or left parked with why. */
  async healParked(): Promise<{ healed: number; stillParked: number }> {
    const parked: { stream_id: string }[] = await this.dataSource.query(`SELECT stream_id FROM projector_parked ORDER BY since LIMIT ${HEAL_PASS}`);
    let healed = 0;
    for (const { stream_id } of parked) {
      const ok = await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [REBUILD_LOCK]);
        const [still] = await manager.query(`SELECT reason FROM projector_parked WHERE stream_id = $1 FOR UPDATE SKIP LOCKED`, [stream_id]);
        return still ? this.heal(manager, stream_id, still.reason) : false;
      });
      if (ok) healed++;
    }
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM projector_parked`);
    return { healed, stillParked: n };
  }

  async parked(limit = 20): Promise<{ count: number; lots: ParkedLot[] }> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM projector_parked`);
    const rows: { stream_id: string; reason: string; since: Date; attempts: number; last_error: string | null }[] = await this.dataSource.query(
      `SELECT stream_id, reason, since, attempts, last_error FROM projector_parked ORDER BY since LIMIT $1`,
      [limit],
    );
    return {
      count: n,
      lots: rows.map((r) => ({ streamId: r.stream_id, reason: r.reason, since: r.since.toISOString(), attempts: r.attempts, lastError: r.last_error })),
    };
  }

  /** Read-your-writes in Kafka mode: has the event at this global position been handled? */
  async hasProcessed(globalPosition: number): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM projector_inbox WHERE global_position = $1 LIMIT 1`, [globalPosition]);
    return rows.length > 0;
  }

  /** Empties the read models and the inbox (a rebuild in Kafka mode replays from the event store). */
  async clear(): Promise<void> {
    const tables = ['projector_inbox', 'projector_parked', ...this.projections.flatMap((p) => p.tables)];
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`TRUNCATE ${tables.join(', ')}`);
      for (const table of tables) await announceChanged(manager, table, null);
    });
  }

  /** Claims the events by id; answers those no transaction claimed before (a concurrent claimer waits on the key). */
  private async claim(manager: EntityManager, events: readonly StoredEvent[], outcome: Outcome): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const claimed: { event_id: string }[] = await manager.query(
      `INSERT INTO projector_inbox (event_id, global_position, stream_id, outcome)
       SELECT *, $4 FROM unnest($1::uuid[], $2::bigint[], $3::text[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [events.map((e) => e.eventId), events.map((e) => e.globalPosition), events.map((e) => e.streamId), outcome],
    );
    const mine = new Set(claimed.map((r) => r.event_id));
    return events.filter((e) => mine.delete(e.eventId));
  }

  /**
   * Which events follow on what each lot's read models hold (applied as a
   * batch), and which lots have a hole or are parked (healed from the store).
   */
  private async split(manager: EntityManager, fresh: readonly StoredEvent[]): Promise<{ ready: StoredEvent[]; holed: string[] }> {
    const lotIds = [...new Set(fresh.filter(isLotEvent).map((e) => e.streamId))];
    if (lotIds.length === 0) return { ready: [...fresh], holed: [] };
    const held = new Map<string, number>(
      (await manager.query(`SELECT stream_id, version FROM lot_summary WHERE stream_id = ANY($1)`, [lotIds])).map(
        (r: { stream_id: string; version: number }) => [r.stream_id, r.version],
      ),
    );
    const parked = new Set<string>(
      (await manager.query(`SELECT stream_id FROM projector_parked WHERE stream_id = ANY($1) FOR UPDATE`, [lotIds])).map((r: { stream_id: string }) => r.stream_id),
    );
    const holed = new Set<string>(parked);
    const next = new Map<string, number>();
    for (const e of [...fresh].filter(isLotEvent).sort((a, b) => a.version - b.version)) {
      const expected = next.get(e.streamId) ?? (held.get(e.streamId) ?? 0) + 1;
      if (e.version < expected) continue; // already folded: a copy
      if (e.version > expected) holed.add(e.streamId);
      next.set(e.streamId, e.version + 1);
    }
    return { ready: fresh.filter((e) => !isLotEvent(e) || !holed.has(e.streamId)), holed: [...holed] };
  }

  /**
   * Brings one lot up to the store's head, in a savepoint: everything after
   * what its read models hold, in order, claimed as HEALED. On failure the
   * savepoint is rolled back and the lot stays (or becomes) parked.
   */
  private async heal(manager: EntityManager, streamId: string, why: string): Promise<boolean> {
    await manager.query('SAVEPOINT heal');
    try {
      const [row] = await manager.query(`SELECT version FROM lot_summary WHERE stream_id = $1`, [streamId]);
      const events = (await readStreamRanges(manager, [{ streamId, after: row?.version ?? 0, upTo: null }])).get(streamId) ?? [];
      await this.claim(manager, events, 'HEALED');
      for (const p of this.projections) await p.apply(events, manager);
      const unparked = await manager.query(`DELETE FROM projector_parked WHERE stream_id = $1 RETURNING stream_id`, [streamId]);
      await manager.query('RELEASE SAVEPOINT heal');
      if (unparked.length > 0 || events.length > 0) await this.announce(manager, streamId);
      return true;
    } catch (e) {
      await manager.query('ROLLBACK TO SAVEPOINT heal');
      await this.park(manager, streamId, why, (e as Error).message ?? String(e));
      return false;
    }
  }

  private async park(manager: EntityManager, streamId: string, reason: string, error: string | null): Promise<void> {
    await manager.query(
      `INSERT INTO projector_parked (stream_id, reason, last_error, attempts) VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE SET last_error = COALESCE(EXCLUDED.last_error, projector_parked.last_error),
         attempts = projector_parked.attempts + EXCLUDED.attempts`,
      [streamId, reason.slice(0, 1000), error?.slice(0, 1000) ?? null, error === null ? 0 : 1],
    );
    await this.announce(manager, streamId);
  }

  /** Readers keeping rows in memory learn that the lot's staleness changed. */
  private async announce(manager: EntityManager, streamId: string): Promise<void> {
    const traceCode = traceCodeOfStream(streamId);
    await announceChanged(manager, 'sale_eligibility', [traceCode]);
    await announceChanged(manager, 'lot_summary', [traceCode]);
  }
}
