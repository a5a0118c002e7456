import { EntityManager } from 'typeorm';
import { LotRecalled, traceCodeOfStream } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';

/** Every lot each recall reached (one row per LotRecalled event: a redelivery changes nothing). */
export class RecallsProjection implements Projection {
  readonly name = 'recalls';
  readonly tables = ['recall_lots'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const rows = events
      .filter((e) => e.type === 'LotRecalled')
      .map((e) => {
        const d = e.data as LotRecalled['data'];
        return [d.recallId, traceCodeOfStream(e.streamId), d.origin, d.reason, d.source, d.holderFacilityId, d.recalledAt, e.globalPosition] as const;
      });
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO recall_lots (recall_id, trace_code, origin_trace_code, reason, source, holder_facility_id, recalled_at, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::bigint[])
       ON CONFLICT DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rows.map((r) => r[i])),
    );
  }
}
