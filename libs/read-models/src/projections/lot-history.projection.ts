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

  /** One array a column (unnest): a few parameters however many rows, which PostgreSQL parses far faster than a VALUES list. */
  private async insert(lotEvents: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const column = <T>(of: (e: StoredEvent) => T): T[] => lotEvents.map(of);
    const data = (e: StoredEvent) => e.data as Record<string, unknown>;
    // (trace_code, version) is the key: a redelivered event changes nothing.
    await manager.query(
      `INSERT INTO lot_history (trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at,
                                facility_id, scan_id, data, metadata, hash)
       SELECT trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at, facility_id, scan_id, data, metadata,
              decode(hash, 'hex')
         FROM unnest($1::text[], $2::int[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::timestamptz[], $8::timestamptz[],
                            $9::text[], $10::text[], $11::jsonb[], $12::jsonb[], $13::text[])
           AS t(trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at, facility_id, scan_id, data, metadata, hash)
       ON CONFLICT (trace_code, version) DO NOTHING`,
      [
        column((e) => traceCodeOfStream(e.streamId)),
        column((e) => e.version),
        column((e) => e.globalPosition),
        column((e) => e.eventId),
        column((e) => e.type),
        column((e) => e.schemaVersion),
        column((e) => e.occurredAt),
        column((e) => e.recordedAt),
        column((e) => str(data(e).facilityId) ?? str(e.metadata.facilityId)),
        column((e) => str(data(e).scanId) ?? str(e.metadata.scanId)),
        column((e) => JSON.stringify(e.data)),
        column((e) => JSON.stringify(e.metadata)),
        // '' from a Kafka message published before events were hashed: unknown here, not invented.
        column((e) => e.hash || null),
      ],
    );
  }
}
