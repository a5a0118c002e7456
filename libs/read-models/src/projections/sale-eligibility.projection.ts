import { EntityManager } from 'typeorm';
import { eligibilityLapsesAt, saleEligibility } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { Projection } from '../projection';
import { LotStates, writeLotRows } from './lot-states';

const COLUMNS = {
  allowed: 'boolean',
  reasons: 'jsonb',
  lapses_at: 'timestamptz',
  facts: 'jsonb',
  reason_codes: 'text[]',
  flags: 'text[]',
  flag_list: 'jsonb',
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

  constructor(private readonly lots: LotStates) {}

  async apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void> {
    const now = new Date();
    const folded = await this.lots.fold(manager, events);
    await writeLotRows(manager, 'sale_eligibility', COLUMNS, folded, ({ state: s }, facts) => {
      const verdict = saleEligibility(facts, now);
      return {
        allowed: verdict.allowed,
        reasons: verdict.reasons,
        lapses_at: eligibilityLapsesAt(facts),
        facts,
        reason_codes: [...new Set(verdict.reasons.map((r) => r.code))],
        flags: [...new Set(s.flags.map((f) => f.flag))],
        flag_list: s.flags,
        entered_at: s.enteredAt,
      };
    });
  }
}
