import type { CriticalTrackingEvent } from '../../../lots/critical-tracking-events/critical-tracking-events';
import { CTE_CSV_HEADER, FacilityNames } from '../../../lots/critical-tracking-events/cte-csv';
import { RECALL_CSV_HEADER, recallCsvRows } from './recall-csv.rows';

const sale: CriticalTrackingEvent = Object.freeze({
  traceCode: 'BEEF-1-A',
  kind: 'SALE',
  eventType: 'LotSold',
  productName: '冷冻牛腩',
  productCategory: 'FROZEN',
  quantity: 2.5,
  unit: 'KG',
  locationId: 'RS-01',
  previousLocationId: null,
  nextLocationId: null,
  occurredAt: new Date('2026-11-23T10:00:00Z'),
  referenceType: 'SCAN',
  reference: 'S-011',
  sourceLots: [],
  newLots: [],
  version: 12,
});

const facilities: FacilityNames = new Map<string, { name: string; type: string }>([['RS-01', Object.freeze({ name: '联华超市, "江桥店"', type: 'RETAIL_STORE' })]]);

describe('recall spreadsheet rows', () => {
  it('has the CTE columns, then the recall as it reached the lot', () => {
    expect(RECALL_CSV_HEADER).toEqual([...CTE_CSV_HEADER, 'recall_id', 'recalled_at', 'holder_at_recall_id', 'holder_at_recall_name']);
  });

  it("repeats the recall's columns on every row of a lot; a lot with no CTE has no row", () => {
    const lot = Object.freeze({ traceCode: 'BEEF-1-A', recalledAt: '2026-11-24T01:00:00.000Z', holderWhenRecalled: 'RS-01' });
    const quiet = Object.freeze({ traceCode: 'BEEF-1-B', recalledAt: '2026-11-24T01:00:00.000Z', holderWhenRecalled: null });
    const rows = recallCsvRows(
      'R-1',
      Object.freeze([Object.freeze({ lot, ctes: Object.freeze([sale, { ...sale, version: 13, reference: 'S-012' }]) }), Object.freeze({ lot: quiet, ctes: [] })]),
      facilities,
      '+08:00',
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.length === RECALL_CSV_HEADER.length)).toBe(true);
    for (const r of rows) expect(r.slice(-4)).toEqual(['R-1', '2026-11-24T09:00:00.000+08:00', 'RS-01', '联华超市, "江桥店"']);
    expect(rows.map((r) => r[16])).toEqual(['S-011', 'S-012']);
  });
});
