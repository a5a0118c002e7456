import { EntityManager } from 'typeorm';
import { eligibilityLapsesAt, lotStreamId, saleEligibility } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { foldLots } from './lot-fold';

/**
 * One indexed row per lot: may it be sold? The verdict is computed by the
 * domain's own policy; `lapses_at` marks when the clock alone (a certificate
 * expiring) changes it, and readers re-judge the stored state at read time.
 */
export class SaleEligibilityProjection implements Projection {
  readonly name = 'sale-eligibility';
  readonly tables = ['sale_eligibility'] as const;

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const now = new Date();
    for (const lot of await foldLots(manager, 'sale_eligibility', events)) {
      const verdict = saleEligibility(lot.state, now);
      await manager.query(
        `INSERT INTO sale_eligibility (stream_id, trace_code, allowed, reasons, lapses_at, state, version, position, updated_at,
                                      reason_codes, flags, holder_facility_id, importer, origin_country, category, entered_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, now(), $9, $10, $11, $12, $13, $14, $15)
         ON CONFLICT (stream_id) DO UPDATE SET
           allowed = EXCLUDED.allowed, reasons = EXCLUDED.reasons, lapses_at = EXCLUDED.lapses_at,
           state = EXCLUDED.state, version = EXCLUDED.version, position = EXCLUDED.position, updated_at = now(),
           reason_codes = EXCLUDED.reason_codes, flags = EXCLUDED.flags, holder_facility_id = EXCLUDED.holder_facility_id,
           importer = EXCLUDED.importer, origin_country = EXCLUDED.origin_country, category = EXCLUDED.category,
           entered_at = EXCLUDED.entered_at`,
        [
          lotStreamId(lot.traceCode),
          lot.traceCode,
          verdict.allowed,
          JSON.stringify(verdict.reasons),
          eligibilityLapsesAt(lot.state),
          JSON.stringify(lot.state),
          lot.version,
          lot.position,
          [...new Set(verdict.reasons.map((r) => r.code))],
          [...new Set(lot.state.flags.map((f) => f.flag))],
          lot.state.custody?.facilityId ?? null,
          lot.state.importer,
          lot.state.originCountry,
          lot.state.product?.category ?? null,
          lot.state.enteredAt,
        ],
      );
    }
  }
}
