import { EntityManager } from 'typeorm';
import { eligibilityFacts, eligibilityLapsesAt, lotFacilityIds, saleEligibility } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { LotStates } from './lot-states';
import { upsertRows } from './upsert-rows';
import { announceChanged } from '../read-model-changes';

const COLUMNS = {
  stream_id: 'text',
  trace_code: 'text',
  allowed: 'boolean',
  reasons: 'jsonb',
  lapses_at: 'timestamptz',
  facts: 'jsonb',
  version: 'integer',
  position: 'bigint',
  reason_codes: 'text[]',
  flags: 'text[]',
  flag_list: 'jsonb',
  facility_ids: 'text[]',
  holder_facility_id: 'text',
  importer: 'text',
  origin_country: 'text',
  category: 'text',
  entered_at: 'timestamptz',
};

/**
 * One indexed row per lot: may it be sold? The verdict is computed by the
 * domain's own policy; `lapses_at` marks when the clock alone (a certificate
 * expiring) changes it, and readers judge the stored facts again at read time.
 */
export class SaleEligibilityProjection implements Projection {
  readonly name = 'sale-eligibility';
  readonly tables = ['sale_eligibility'] as const;
  private readonly lots = new LotStates();

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const now = new Date();
    const folded = await this.lots.fold(manager, 'sale_eligibility', events);
    await upsertRows(
      manager,
      'sale_eligibility',
      'stream_id',
      COLUMNS,
      folded.map(({ streamId, traceCode, state: s, version, position }) => {
        const facts = eligibilityFacts(s);
        const verdict = saleEligibility(facts, now);
        return {
          stream_id: streamId,
          trace_code: traceCode,
          allowed: verdict.allowed,
          reasons: verdict.reasons,
          lapses_at: eligibilityLapsesAt(facts),
          facts,
          version,
          position,
          reason_codes: [...new Set(verdict.reasons.map((r) => r.code))],
          flags: [...new Set(s.flags.map((f) => f.flag))],
          flag_list: s.flags,
          facility_ids: lotFacilityIds(s),
          holder_facility_id: s.custody?.facilityId ?? null,
          importer: s.importer,
          origin_country: s.originCountry,
          category: s.product?.category ?? null,
          entered_at: s.enteredAt,
        };
      }),
    );
    await announceChanged(manager, 'sale_eligibility', folded.map((l) => l.traceCode));
  }
}
