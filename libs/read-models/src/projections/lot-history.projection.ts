import { EntityManager } from 'typeorm';
import { traceCodeOfStream } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { isLotEvent } from './lot-states';

const CHUNK = 2_000;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every event of every lot, in order, with where and by which scan it happened, and its chain hash. */
export class LotHistoryProjection implements Projection {
  readonly name = 'lot-history';
  readonly tables = ['lot_history'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const lotEvents = events.filter(isLotEvent);
    // 13 parameters a row: a chunk stays far below PostgreSQL's 65,535 per statement.
    for (let i = 0; i < lotEvents.length; i += CHUNK) await this.insert(lotEvents.slice(i, i + CHUNK), manager);
  }

  private async insert(lotEvents: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const params: unknown[] = [];
    const tuples = lotEvents.map((e) => {
      const data = e.data as Record<string, unknown>;
      params.push(
        traceCodeOfStream(e.streamId),
        e.version,
        e.globalPosition,
        e.eventId,
        e.type,
        e.schemaVersion,
        e.occurredAt,
        e.recordedAt,
        str(data.facilityId) ?? str(e.metadata.facilityId),
        str(data.scanId) ?? str(e.metadata.scanId),
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        // '' from a Kafka message published before events were hashed: unknown here, not invented.
        e.hash ? Buffer.from(e.hash, 'hex') : null,
      );
      const b = params.length - 13;
      return `(${Array.from({ length: 13 }, (_, i) => `$${b + i + 1}`).join(', ')})`;
    });
    // (trace_code, version) is the key: a redelivered event changes nothing.
    await manager.query(
      `INSERT INTO lot_history (trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at,
                                facility_id, scan_id, data, metadata, hash)
       VALUES ${tuples.join(', ')}
       ON CONFLICT (trace_code, version) DO NOTHING`,
      params,
    );
  }
}
