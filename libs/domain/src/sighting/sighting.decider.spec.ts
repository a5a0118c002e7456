import { given } from '../testing/given-when-then';
import { at, iso, OTHER_STORE } from '../testing/lot-fixtures';
import { LotSighted, ReportSighting, sightingDecider } from './sighting.decider';

const report = (over: Partial<ReportSighting['data']> = {}): ReportSighting => ({
  type: 'ReportSighting',
  data: { sightingId: 'SIGHT-1', traceCode: 'CT-2022-0001', facility: OTHER_STORE, occurredAt: iso(8), note: ' two cartons on pallet 4, not on our order ', ...over },
});

const sighted = (over: Partial<LotSighted['data']> = {}): LotSighted => ({
  type: 'LotSighted',
  schemaVersion: 1,
  data: {
    sightingId: 'SIGHT-1',
    traceCode: 'CT-2022-0001',
    facilityId: OTHER_STORE.id,
    facilityType: 'RETAIL_STORE',
    occurredAt: iso(8),
    note: 'two cartons on pallet 4, not on our order',
    reportedAt: iso(9),
    ...over,
  },
});

describe('sightings: a lot found where it was not sent', () => {
  it('is recorded as reported, at the facility that found it, with the time it was found', () => {
    given(sightingDecider).when(report(), at(9)).then([sighted()]);
  });

  it('names any code read off a pack, ours or not (a counterfeit label is worth a report too)', () => {
    given(sightingDecider).when(report({ traceCode: 'NOT-OURS-1' }), at(9)).then([sighted({ traceCode: 'NOT-OURS-1' })]);
  });

  it('cannot be found in the future, nor without a note', () => {
    given(sightingDecider).when(report({ occurredAt: iso(10) }), at(9)).thenThrows('VALIDATION_FAILED', { field: 'occurredAt' });
    given(sightingDecider).when(report({ note: '   ' }), at(9)).thenThrows('VALIDATION_FAILED', { field: 'note' });
  });

  it('is on record once', () => {
    given(sightingDecider, [sighted()]).when(report(), at(10)).thenThrows('SIGHTING_EXISTS');
  });
});
