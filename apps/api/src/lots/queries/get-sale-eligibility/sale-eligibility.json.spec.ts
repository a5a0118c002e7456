import { factsOf, saleEligibility } from '@app/domain';
import { DAY, iso, registered, sellable } from '@app/domain/testing/lot-fixtures';
import type { EligibilityRow } from '../../lot-read.repository';
import { eligibilityBody, serialiseEligibility } from './sale-eligibility.json';

const rowOf = (facts: EligibilityRow['facts']): EligibilityRow => ({ traceCode: 'LOT-1', facts, facilityIds: [], version: 7, position: 42, stale: null });

describe('the eligibility answer serialised once', () => {
  it('reads as the view would, field for field and in its order, with this request\'s evaluatedAt', () => {
    const row = rowOf(factsOf(registered().state));
    const now = new Date(iso(10));
    const verdict = saleEligibility(row.facts, now);
    const body = eligibilityBody(serialiseEligibility(row, now), now);
    expect(body).toBe(JSON.stringify({ traceCode: 'LOT-1', allowed: verdict.allowed, reasons: verdict.reasons, position: 42, version: 7, evaluatedAt: now.toISOString() }));
    const later = new Date(iso(11));
    expect(JSON.parse(eligibilityBody(serialiseEligibility(row, now), later)).evaluatedAt).toBe(later.toISOString());
    expect(JSON.parse(eligibilityBody(serialiseEligibility(row, now), now)).evaluatedAt).toBe(now.toISOString());
  });

  it('holds until the next expiry: the serialised verdict is the one the clock gives until then', () => {
    const row = rowOf(factsOf(sellable().state));
    const now = new Date(iso(10));
    const answer = serialiseEligibility(row, now);
    expect(answer.holdsUntil).toBe(Date.parse(iso(14 * DAY)));
    const justBefore = new Date(answer.holdsUntil - 1);
    expect(eligibilityBody(answer, justBefore)).toBe(eligibilityBody(serialiseEligibility(row, justBefore), justBefore));
    const at = new Date(answer.holdsUntil);
    expect(eligibilityBody(answer, at)).not.toBe(eligibilityBody(serialiseEligibility(row, at), at));
  });
});
