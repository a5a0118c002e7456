import { EntityManager } from 'typeorm';
import { lotStreamId } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { isLotEvent } from './lot-states';

/** The text of a JSON string field, else null (a number or object there is not a facility or scan id). */
const jsonText = (field: string): string => `CASE WHEN jsonb_typeof(${field}) = 'string' THEN ${field} #>> '{}' END`;

/**
 * Every event of every lot, in order, with where and by which scan it
 * happened, and its chain hash. The rows are made by the database from the
 * events table itself (one INSERT … SELECT by position): nothing the log
 * already holds travels to this process and back, and a rebuild fills the
 * table at the speed of a copy inside PostgreSQL.
 */
export class LotHistoryProjection implements Projection {
  readonly name = 'lot-history';
  readonly tables = ['lot_history'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const positions = events.filter(isLotEvent).map((e) => e.globalPosition);
    if (positions.length === 0) return;
    // (trace_code, version) is the key: a redelivered event changes nothing.
    await manager.query(
      `INSERT INTO lot_history (trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at,
                                facility_id, scan_id, data, metadata, hash)
       SELECT substr(e.stream_id, $2), e.stream_version, e.global_position, e.event_id, e.type, e.schema_version, e.occurred_at, e.recorded_at,
              coalesce(${jsonText(`e.data -> 'facilityId'`)}, ${jsonText(`e.metadata -> 'facilityId'`)}),
              coalesce(${jsonText(`e.data -> 'scanId'`)}, ${jsonText(`e.metadata -> 'scanId'`)}),
              e.data, e.metadata, e.hash
         FROM events e WHERE e.global_position = ANY($1::bigint[])
       ON CONFLICT (trace_code, version) DO NOTHING`,
      [positions, lotStreamId('').length + 1],
    );
  }
}
