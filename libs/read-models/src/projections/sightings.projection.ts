import { EntityManager } from 'typeorm';
import { LotSighted } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';

/** The sightings regulators list (see the migration); run inline, so a report is listed the moment it commits. */
export class SightingsProjection implements Projection {
  readonly name = 'sightings';
  readonly tables = ['sightings'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const rows = events
      .filter((e) => e.type === 'LotSighted')
      .map((e) => {
        const d = e.data as LotSighted['data'];
        return [d.sightingId, d.traceCode, d.facilityId, d.facilityType, d.occurredAt, d.note, d.reportedAt, JSON.stringify(e.metadata.actor ?? null), e.globalPosition] as const;
      });
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO sightings (sighting_id, trace_code, facility_id, facility_type, occurred_at, note, reported_at, reported_by, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::timestamptz[], $8::jsonb[], $9::bigint[])
       ON CONFLICT DO NOTHING`,
      [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => rows.map((r) => r[i])),
    );
  }
}
