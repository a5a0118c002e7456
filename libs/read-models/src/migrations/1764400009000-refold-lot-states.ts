import { MigrationInterface, QueryRunner } from 'typeorm';
import { StoredEvent } from '@app/event-store';
import { LotSummaryProjection } from '../projections/lot-summary.projection';
import { SaleEligibilityProjection } from '../projections/sale-eligibility.projection';

const BATCH = 500;

/**
 * The lot state gained its custody timeline (movements judged by when they
 * happened, violations with ids and status). Rows folded before that keep a
 * state readers would misjudge, so each such lot is folded afresh from its
 * own events by the projections' own code.
 */
export class RefoldLotStates1764400009000 implements MigrationInterface {
  name = 'RefoldLotStates1764400009000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, projection] of [
      ['lot_summary', new LotSummaryProjection()],
      ['sale_eligibility', new SaleEligibilityProjection()],
    ] as const) {
      for (;;) {
        const stale: { stream_id: string }[] = await q.query(
          `SELECT stream_id FROM ${table} WHERE NOT (state ? 'movements') ORDER BY stream_id LIMIT ${BATCH}`,
        );
        if (stale.length === 0) break;
        const ids = stale.map((r) => r.stream_id);
        await q.query(`DELETE FROM ${table} WHERE stream_id = ANY($1)`, [ids]);
        const rows: {
          event_id: string;
          stream_id: string;
          stream_version: number;
          type: string;
          schema_version: number;
          data: unknown;
          metadata: Record<string, unknown>;
          occurred_at: Date;
          recorded_at: Date;
          global_position: string;
        }[] = await q.query(
          `SELECT event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, global_position
             FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version`,
          [ids],
        );
        const events: StoredEvent[] = rows.map((r) => ({
          eventId: r.event_id,
          streamId: r.stream_id,
          version: r.stream_version,
          type: r.type,
          schemaVersion: r.schema_version,
          data: r.data,
          metadata: r.metadata,
          occurredAt: r.occurred_at.toISOString(),
          recordedAt: r.recorded_at.toISOString(),
          globalPosition: Number(r.global_position),
          transactionId: '0',
          hash: '',
        }));
        await projection.apply(events, q.manager);
      }
    }
  }

  async down(): Promise<void> {
    // Nothing to undo: the rows hold what the projections compute from the events.
  }
}
