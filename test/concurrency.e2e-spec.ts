import { createTestApp, TestApp } from './support/test-app';
import { eligibility, reasonCodes, registerLot, registerNetwork, scan, scanBody, uid, walkToStore } from './support/fixtures';

describe('concurrent commands on one lot (e2e, real PostgreSQL, two app instances)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('50 concurrent scans through two instances: none lost, versions contiguous, each scan once', async () => {
    const n = await registerNetwork(a);
    const { traceCode } = await registerLot(a, n);
    const before = (await a.store.readStream(`lot-${traceCode}`)).version;
    const bodies = Array.from({ length: 50 }, (_, i) =>
      scanBody({ traceCode, facilityId: n.port, action: i % 2 ? 'DISINFECT' : 'SAMPLE', scanId: `C-${uid()}-${i}` }),
    );
    const responses = await Promise.all(bodies.map((body, i) => (i % 2 ? a : b).http().post('/api/scans').send(body)));
    expect(responses.map((r) => r.status)).toEqual(bodies.map(() => 201));

    const slice = await a.store.readStream(`lot-${traceCode}`);
    expect(slice.version).toBe(before + 50);
    expect(slice.events.map((e) => e.version)).toEqual(Array.from({ length: slice.version }, (_, i) => i + 1));
    const scanIds = slice.events.map((e) => (e.data as { scanId?: string }).scanId).filter(Boolean);
    expect(new Set(scanIds)).toEqual(new Set(bodies.map((x) => x.scanId)));
    // Each answer names the version its own event got: all distinct.
    expect(new Set(responses.map((r) => r.body.version)).size).toBe(50);

    const head = Math.max(...responses.map((r) => r.body.position as number));
    const history = await b.http().get(`/api/lots/${traceCode}/history?atLeast=${head}`).expect(200);
    expect(history.body.events).toHaveLength(slice.version);
  });

  it('concurrent sales never oversell: 50 sales of 1 against 30 remaining sell exactly 30', async () => {
    const n = await registerNetwork(a);
    const { traceCode } = await registerLot(a, n, undefined, 30, 'CARTON');
    await walkToStore(a, n, traceCode);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        scan(i % 2 ? a : b, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 1 }),
      ),
    );
    const sold = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status === 422);
    expect(sold).toHaveLength(30);
    expect(refused).toHaveLength(20);
    for (const r of refused) {
      expect(r.body.code).toBe('SALE_BLOCKED');
      expect(reasonCodes(r.body.details)).toEqual(['QUANTITY_EXHAUSTED']);
    }
    const head = Math.max(...sold.map((r) => r.body.position as number));
    const lot = await a.http().get(`/api/lots/${traceCode}?atLeast=${head}`).expect(200);
    expect(lot.body.quantity).toEqual({ initial: 30, remaining: 0, unit: 'CARTON' });
    expect(reasonCodes(await eligibility(b, traceCode, head))).toEqual(['QUANTITY_EXHAUSTED']);
  });
});
