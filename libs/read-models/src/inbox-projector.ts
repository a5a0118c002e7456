import { DataSource } from 'typeorm';
import { StoredEvent } from '@app/event-store';
import { Projection, REBUILD_LOCK } from './projection';
import { announceChanged } from './read-model-changes';

/**
 * Applies events that arrive by a transport with redelivery (Kafka): each
 * event is claimed in `projector_inbox` by its id in the same transaction that
 * updates every read model, so a redelivered event changes nothing.
 */
export class InboxProjector {
  constructor(
    readonly projections: readonly Projection[],
    private readonly dataSource: DataSource,
  ) {}

  async apply(events: readonly StoredEvent[]): Promise<{ applied: number; duplicates: number }> {
    if (events.length === 0) return { applied: 0, duplicates: 0 };
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [REBUILD_LOCK]);
      // Claim first: a concurrent claimer of the same id waits on the key, then finds it taken.
      const claimed: { event_id: string }[] = await manager.query(
        `INSERT INTO projector_inbox (event_id, global_position, stream_id, outcome)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS t(event_id, global_position, stream_id), (VALUES ('APPLIED')) AS o(outcome)
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [events.map((e) => e.eventId), events.map((e) => e.globalPosition), events.map((e) => e.streamId)],
      );
      const mine = new Set(claimed.map((r) => r.event_id));
      const fresh = events.filter((e) => mine.delete(e.eventId));
      for (const p of this.projections) await p.apply(fresh, manager);
      return { applied: fresh.length, duplicates: events.length - fresh.length };
    });
  }

  async deadLettered(eventId: string, globalPosition: number, streamId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO projector_inbox (event_id, global_position, stream_id, outcome) VALUES ($1, $2, $3, 'DEAD_LETTERED')
       ON CONFLICT (event_id) DO NOTHING`,
      [eventId, globalPosition, streamId],
    );
  }

  /** Read-your-writes in Kafka mode: has the event at this global position been handled? */
  async hasProcessed(globalPosition: number): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM projector_inbox WHERE global_position = $1 LIMIT 1`, [globalPosition]);
    return rows.length > 0;
  }

  /** Empties the read models and the inbox (a rebuild in Kafka mode replays from the event store). */
  async clear(): Promise<void> {
    const tables = ['projector_inbox', ...this.projections.flatMap((p) => p.tables)];
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`TRUNCATE ${tables.join(', ')}`);
      for (const table of tables) await announceChanged(manager, table, null);
    });
  }
}
