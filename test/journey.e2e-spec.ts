import { createTestApp, TestApp } from './support/test-app';
import { eligibility, reasonCodes, registerLot, registerNetwork, scan, scanOk, walkToStore } from './support/fixtures';

describe('a lot from port of entry to sale (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('travels port -> central warehouse -> wholesale market -> retail store and is sold', async () => {
    const n = await registerNetwork(t);
    const { traceCode, position: registeredAt } = await registerLot(t, n, undefined, 100, 'KG');

    const fresh = await eligibility(t, traceCode, registeredAt);
    expect(fresh.allowed).toBe(false);
    expect(reasonCodes(fresh)).toEqual(
      expect.arrayContaining([
        'CUSTOMS_DECLARATION_MISSING',
        'INSPECTION_CERTIFICATE_MISSING',
        'NUCLEIC_ACID_TEST_MISSING',
        'DISINFECTION_CERTIFICATE_MISSING',
        'CENTRAL_WAREHOUSE_NOT_PASSED',
        'NOT_AT_RETAIL_STORE',
        'NOT_IN_DEDICATED_SALES_ZONE',
      ]),
    );

    const atStore = await walkToStore(t, n, traceCode);
    expect(atStore.violations).toEqual([]);
    const ready = await eligibility(t, traceCode, atStore.position);
    expect(ready).toMatchObject({ traceCode, allowed: true, reasons: [] });

    const sold = await scanOk(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 40 });
    const lot = await t.http().get(`/api/lots/${traceCode}?atLeast=${sold.position}`).expect(200);
    expect(lot.body).toMatchObject({
      traceCode,
      status: 'HELD',
      quantity: { initial: 100, remaining: 60, unit: 'KG' },
      holder: { facilityId: n.store, facilityType: 'RETAIL_STORE', zoneId: n.zones.storeSales, zoneKind: 'DEDICATED_SALES' },
      inTransit: null,
    });
    expect(lot.body.route.map((s: { facilityId: string }) => s.facilityId)).toEqual([n.port, n.warehouse, n.market, n.store]);
    expect(lot.body.documents).toHaveLength(4);

    const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${sold.position}`).expect(200);
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('LotRegistered');
    expect(types[types.length - 1]).toBe('LotSold');
    expect(history.body.events.map((e: { version: number }) => e.version)).toEqual(types.map((_: string, i: number) => i + 1));
    const sale = history.body.events[types.length - 1];
    expect(sale).toMatchObject({ facilityId: n.store, type: 'LotSold' });
    expect(sale.scanId).toMatch(/^SCAN-/);

    // Selling the rest exhausts the lot; one more sale is refused and records nothing.
    const rest = await scanOk(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 60 });
    const exhausted = await eligibility(t, traceCode, rest.position);
    expect(reasonCodes(exhausted)).toEqual(['QUANTITY_EXHAUSTED']);
    const refused = await scan(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 1 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('SALE_BLOCKED');
    expect(reasonCodes(refused.body.details)).toEqual(['QUANTITY_EXHAUSTED']);
    const after = await t.http().get(`/api/lots/${traceCode}?atLeast=${rest.position}`).expect(200);
    expect(after.body.version).toBe(rest.version);
    expect(after.body.status).toBe('SOLD_OUT');
  });
});
