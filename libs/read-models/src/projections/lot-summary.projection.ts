import { EntityManager } from 'typeorm';
import { lotStatus, lotStreamId } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { foldLots } from './lot-fold';

/** One row per lot: what it is, how much remains, who holds it, its documents. */
export class LotSummaryProjection implements Projection {
  readonly name = 'lot-summary';
  readonly tables = ['lot_summary'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    for (const lot of await foldLots(manager, 'lot_summary', events)) {
      const s = lot.state;
      await manager.query(
        `INSERT INTO lot_summary (stream_id, trace_code, state, status, holder_facility_id, importer, origin_country,
                                  category, version, position, updated_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, now())
         ON CONFLICT (stream_id) DO UPDATE SET
           state = EXCLUDED.state, status = EXCLUDED.status, holder_facility_id = EXCLUDED.holder_facility_id,
           version = EXCLUDED.version, position = EXCLUDED.position, updated_at = now()`,
        [
          lotStreamId(lot.traceCode),
          lot.traceCode,
          JSON.stringify(s),
          lotStatus(s),
          s.custody?.facilityId ?? null,
          s.importer,
          s.originCountry,
          s.product?.category ?? null,
          lot.version,
          lot.position,
        ],
      );
    }
  }
}
