import { EntityManager } from 'typeorm';
import { traceCodeOfStream } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { isLotEvent } from './lot-states';

const CHUNK = 5_000;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every event of every lot, in order, with where and by which scan it happened, and its chain hash. */
export class LotHistoryProjection implements Projection {
  readonly name = 'lot-history';
  readonly tables = ['lot_history'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const lotEvents = events.filter(isLotEvent);
    for (let i = 0; i < lotEvents.length; i += CHUNK) await this.insert(lotEvents.slice(i, i + CHUNK), manager);
  }

  /**
   * The rows as one JSON document (jsonb_to_recordset): each event's data and
   * metadata travel as JSON inside it, written and parsed once, not escaped
   * again into a text parameter apiece.
   */
  private async insert(lotEvents: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const rows = lotEvents.map((e) => {
      const data = e.data as Record<string, unknown>;
      return {
        trace_code: traceCodeOfStream(e.streamId),
        version: e.version,
        position: e.globalPosition,
        event_id: e.eventId,
        type: e.type,
        schema_version: e.schemaVersion,
        occurred_at: e.occurredAt,
        recorded_at: e.recordedAt,
        facility_id: str(data.facilityId) ?? str(e.metadata.facilityId),
        scan_id: str(data.scanId) ?? str(e.metadata.scanId),
        data: e.data,
        metadata: e.metadata,
        // '' from a Kafka message published before events were hashed: unknown here, not invented.
        hash: e.hash || null,
      };
    });
    // (trace_code, version) is the key: a redelivered event changes nothing.
    await manager.query(
      `INSERT INTO lot_history (trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at,
                                facility_id, scan_id, data, metadata, hash)
       SELECT trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at, facility_id, scan_id, data, metadata,
              decode(hash, 'hex')
         FROM jsonb_to_recordset($1::jsonb) AS t(trace_code text, version int, position bigint, event_id uuid, type text, schema_version int,
              occurred_at timestamptz, recorded_at timestamptz, facility_id text, scan_id text, data jsonb, metadata jsonb, hash text)
       ON CONFLICT (trace_code, version) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }
}
