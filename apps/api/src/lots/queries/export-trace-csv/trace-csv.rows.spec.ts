import type { CriticalTrackingEvent } from '../../critical-tracking-events/critical-tracking-events';
import type { FacilityNames } from '../../critical-tracking-events/cte-csv';
import { TRACE_CSV_HEADER, traceCsvRows } from './trace-csv.rows';

const cte = (over: Partial<CriticalTrackingEvent>): CriticalTrackingEvent =>
  Object.freeze({
    traceCode: 'BEEF-1',
    kind: 'SHIPPING',
    eventType: 'LotDispatched',
    productName: '冷冻牛腩',
    productCategory: 'FROZEN',
    quantity: 1200,
    unit: 'KG',
    locationId: 'CW-01',
    previousLocationId: null,
    nextLocationId: 'WM-01',
    occurredAt: new Date('2026-11-22T05:00:00Z'),
    referenceType: 'SCAN',
    reference: 'S-006',
    sourceLots: Object.freeze([]) as readonly string[],
    newLots: Object.freeze([]) as readonly string[],
    version: 9,
    ...over,
  });

const facilities: FacilityNames = new Map<string, { name: string; type: string }>([
  ['CW-01', Object.freeze({ name: '上海冷链总仓', type: 'CENTRAL_WAREHOUSE' })],
  ['WM-01', Object.freeze({ name: '江桥批发市场', type: 'WHOLESALE_MARKET' })],
]);

describe('trace spreadsheet rows', () => {
  it('has a fixed header, one column per key data element', () => {
    expect(TRACE_CSV_HEADER).toEqual([
      'traceability_lot_code',
      'product_name',
      'product_category',
      'cte',
      'event_type',
      'quantity',
      'unit',
      'location_id',
      'location_name',
      'location_type',
      'previous_location_id',
      'previous_location_name',
      'next_location_id',
      'next_location_name',
      'event_time',
      'reference_type',
      'reference',
      'source_lots',
      'new_lots',
    ]);
  });

  it('writes one row per CTE, lots in the order given, names and types of facilities, local times', () => {
    const lots = Object.freeze([
      Object.freeze([cte({})]),
      Object.freeze([]),
      Object.freeze([
        cte({
          traceCode: 'BEEF-1-A',
          kind: 'TRANSFORMATION',
          eventType: 'LotDerived',
          quantity: 200,
          nextLocationId: null,
          referenceType: 'SPLIT',
          reference: 'SP-1',
          sourceLots: ['BEEF-1'],
          newLots: ['BEEF-1-A'],
        }),
        cte({ traceCode: 'BEEF-1-A', kind: 'DESTRUCTION', eventType: 'LotDestroyed', locationId: 'GONE', nextLocationId: null, referenceType: null, reference: null }),
      ]),
    ]);
    const rows = traceCsvRows(lots, facilities, '+08:00');
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.length === TRACE_CSV_HEADER.length)).toBe(true);
    expect(rows[0]).toEqual([
      'BEEF-1',
      '冷冻牛腩',
      'FROZEN',
      'SHIPPING',
      'LotDispatched',
      1200,
      'KG',
      'CW-01',
      '上海冷链总仓',
      'CENTRAL_WAREHOUSE',
      null,
      null,
      'WM-01',
      '江桥批发市场',
      '2026-11-22T13:00:00.000+08:00',
      'SCAN',
      'S-006',
      '',
      '',
    ]);
    expect(rows[1].slice(15)).toEqual(['SPLIT', 'SP-1', 'BEEF-1', 'BEEF-1-A']);
    // A facility the registry does not know: its id stays, name and type are empty.
    expect(rows[2].slice(7, 10)).toEqual(['GONE', null, null]);
  });
});
