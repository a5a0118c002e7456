import { criticalTrackingEvents, CteSourceEvent } from './critical-tracking-events';

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object' && !(o instanceof Date)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
};

const ev = (version: number, type: string, at: string, data: object, scanId: string | null = null): CteSourceEvent => ({
  traceCode: 'BEEF-1',
  version,
  type,
  occurredAt: new Date(at),
  scanId,
  data,
});

const product = { name: '冷冻牛腩', category: 'FROZEN' };

describe('critical tracking events of one lot', () => {
  const history = deepFreeze([
    ev(1, 'LotRegistered', '2026-11-20T08:00:00Z', { product, quantity: { amount: 1200, unit: 'KG' }, portOfEntryId: 'PORT' }),
    ev(2, 'LotDispatched', '2026-11-21T06:00:00Z', { facilityId: 'PORT', toFacilityId: 'CW', quantity: 1200 }, 'S-1'),
    ev(3, 'LotReceived', '2026-11-21T07:00:00Z', { facilityId: 'CW', fromFacilityId: 'PORT' }, 'S-2'),
    ev(4, 'LotStored', '2026-11-21T07:30:00Z', { facilityId: 'CW', zoneId: 'COLD-1' }, 'S-3'),
    ev(5, 'LotSplit', '2026-11-21T08:00:00Z', { splitId: 'SP-1', facilityId: 'CW', children: [{ traceCode: 'BEEF-1-A', quantity: 200 }, { traceCode: 'BEEF-1-B', quantity: 0.5 }] }),
    ev(6, 'LotMerged', '2026-11-21T09:00:00Z', { mergeId: 'M-1', facilityId: 'CW', intoTraceCode: 'MIX-1', quantity: 100 }),
    // Uploaded late: it happened before the split, and takes its place in time.
    ev(7, 'LotSold', '2026-11-21T07:45:00Z', { facilityId: 'CW', quantity: 2.5 }, 'S-4'),
    ev(8, 'LotRecalled', '2026-11-22T00:00:00Z', { recallId: 'R-1' }),
    ev(9, 'LotDestroyed', '2026-11-22T01:00:00Z', { holderFacilityId: 'CW', reason: 'burnt' }),
    ev(10, 'DocumentAttached', '2026-11-22T02:00:00Z', { document: { type: 'CUSTOMS_DECLARATION', number: '220120261000001' }, source: null }),
    // An ancestor's declaration that came down the genealogy is not this lot's entry.
    ev(11, 'DocumentAttached', '2026-11-22T03:00:00Z', { document: { type: 'CUSTOMS_DECLARATION', number: 'OTHER' }, source: { traceCode: 'X', viaParent: null } }),
  ]);

  it('lists receiving, shipping, transformations, sales and destruction, in time order', () => {
    const ctes = criticalTrackingEvents(history);
    expect(ctes.map((e) => [e.kind, e.eventType, e.version])).toEqual([
      ['RECEIVING', 'LotRegistered', 1],
      ['SHIPPING', 'LotDispatched', 2],
      ['RECEIVING', 'LotReceived', 3],
      ['SALE', 'LotSold', 7],
      ['TRANSFORMATION', 'LotSplit', 5],
      ['TRANSFORMATION', 'LotMerged', 6],
      ['DESTRUCTION', 'LotDestroyed', 9],
    ]);
    expect(ctes.every((e) => e.productName === '冷冻牛腩' && e.productCategory === 'FROZEN' && e.unit === 'KG')).toBe(true);
  });

  it('names where goods came from and went to, and the reference of each', () => {
    const [entry, ship, receive, sale, split, merge] = criticalTrackingEvents(history);
    // The entry at the port: all that was registered, the customs declaration as its reference.
    expect(entry).toMatchObject({ locationId: 'PORT', previousLocationId: null, nextLocationId: null, quantity: 1200, referenceType: 'CUSTOMS_DECLARATION', reference: '220120261000001' });
    expect(ship).toMatchObject({ locationId: 'PORT', nextLocationId: 'CW', previousLocationId: null, quantity: 1200, referenceType: 'SCAN', reference: 'S-1' });
    expect(receive).toMatchObject({ locationId: 'CW', previousLocationId: 'PORT', nextLocationId: null, quantity: 1200, reference: 'S-2' });
    expect(sale).toMatchObject({ locationId: 'CW', quantity: 2.5, reference: 'S-4' });
    expect(split).toMatchObject({ referenceType: 'SPLIT', reference: 'SP-1', quantity: 200.5, sourceLots: ['BEEF-1'], newLots: ['BEEF-1-A', 'BEEF-1-B'] });
    expect(merge).toMatchObject({ referenceType: 'MERGE', reference: 'M-1', quantity: 100, sourceLots: ['BEEF-1'], newLots: ['MIX-1'] });
  });

  it('destroys what was left (as recorded: split, merge and sale taken off)', () => {
    const destroyed = criticalTrackingEvents(history).at(-1)!;
    expect(destroyed).toMatchObject({ kind: 'DESTRUCTION', locationId: 'CW', quantity: 897, referenceType: null, reference: null });
  });

  it("a derived lot's first CTE is its transformation, from its parents, at its holder", () => {
    const child = deepFreeze([
      {
        ...ev(1, 'LotDerived', '2026-11-21T08:00:00Z', {
          kind: 'MERGE',
          operationId: 'M-1',
          traceCode: 'MIX-1',
          parents: [
            { traceCode: 'BEEF-1', quantity: 100 },
            { traceCode: 'BEEF-2', quantity: 50 },
          ],
          product,
          quantity: { amount: 150, unit: 'KG' },
          custody: { facilityId: 'CW' },
        }),
        traceCode: 'MIX-1',
      },
    ]);
    expect(criticalTrackingEvents(child)).toEqual([
      expect.objectContaining({
        traceCode: 'MIX-1',
        kind: 'TRANSFORMATION',
        eventType: 'LotDerived',
        quantity: 150,
        unit: 'KG',
        locationId: 'CW',
        referenceType: 'MERGE',
        reference: 'M-1',
        sourceLots: ['BEEF-1', 'BEEF-2'],
        newLots: ['MIX-1'],
      }),
    ]);
  });

  it('a lot only registered (recalled at the port, say) has its entry row; no reference before its customs declaration', () => {
    expect(criticalTrackingEvents(deepFreeze([history[0], history[3], history[7]]))).toEqual([
      expect.objectContaining({ kind: 'RECEIVING', eventType: 'LotRegistered', locationId: 'PORT', quantity: 1200, referenceType: null, reference: null }),
    ]);
  });

  it('events that are no CTE make no row', () => {
    expect(criticalTrackingEvents(deepFreeze([history[3]]))).toEqual([]);
  });
});
