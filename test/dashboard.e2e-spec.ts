import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, registerLot, registerNetwork, scanBody, scanOk, uid, type Network } from './support/fixtures';

interface Counted {
  count: number;
  list: string;
}

interface Dashboard {
  at: string;
  lotsNotSellable: Counted & { byReason: (Counted & { reason: string })[] };
  openViolations: Counted;
  recallsInProgress: Counted & { unsold: { unit: string; quantity: number }[]; holders: number; told: number };
  scans: Counted;
  refusals: Counted;
}

/**
 * The regulator's dashboard (issue 19): every number it shows is the number
 * of items its list answers, all pages, whatever the lots' reasons, and the
 * scans the API refused are written down, attributable to the key that sent
 * them, with nothing of them applied.
 */
describe('The dashboard counts what the lists list', () => {
  let t: TestApp;
  let n: Network;
  let operator: { id: string; token: string };
  let position = 0;
  const at = (p: { position?: number } | number) => (position = Math.max(position, typeof p === 'number' ? p : (p.position ?? 0)));

  /** Every item of a list, following nextCursor (small pages, so paging is part of what is checked). */
  const listAll = async (path: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res: { body: { items: Record<string, unknown>[]; nextCursor: string | null } } = await t.http().get(`${path}${sep}limit=2&atLeast=${position}${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    return items;
  };

  const atWarehouse = async (): Promise<string> => {
    const { traceCode } = await registerLot(t, n);
    at(await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'T-1' } }));
    at(await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake }));
    return traceCode;
  };

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
    operator = await t.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'dashboard scanner');

    // Papers missing (several reasons at once), at the port.
    at(await registerLot(t, n));
    // Papers complete, at the warehouse: blocked only for not being at a retail store.
    const papered = await atWarehouse();
    at(await attachAllPapers(t, papered));
    // Locked.
    const locked = await atWarehouse();
    at((await t.http().post(`/api/lots/${locked}/lock`).send({ reason: 'suspect seal' }).expect(200)).body);
    // Recalled, still holding 100 KG at the warehouse.
    const recalled = await atWarehouse();
    at((await t.http().post(`/api/lots/${recalled}/recall`).send({ reason: 'positive sample' }).expect(201)).body);
    // A scan at the store while the warehouse holds it: an open violation.
    const strayed = await atWarehouse();
    at(await scanOk(t, { traceCode: strayed, facilityId: n.store, action: 'SAMPLE' }));

    // Refused: a sale away from a store, a dispatch of a locked lot (alone and in a batch).
    const scanner = t.as(operator.token);
    await scanner.post('/api/scans').send(scanBody({ traceCode: papered, facilityId: n.warehouse, action: 'SELL', quantity: 1 })).expect(422);
    await scanner.post('/api/scans').send(scanBody({ traceCode: locked, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market })).expect(422);
    const batch = await scanner
      .post('/api/scans/batch')
      .send({
        scans: [
          scanBody({ traceCode: locked, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }),
          scanBody({ traceCode: papered, facilityId: n.warehouse, action: 'SAMPLE' }),
        ],
      })
      .expect(200);
    expect(batch.body.results.map((r: { status: string }) => r.status)).toEqual(['refused', 'accepted']);
    at(batch.body.position);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers each count with the list it counts, and the list holds that many items', async () => {
    const d: Dashboard = (await t.http().get(`/api/dashboard?atLeast=${position}`).expect(200)).body;
    const counted = [d.lotsNotSellable, ...d.lotsNotSellable.byReason, d.openViolations, d.recallsInProgress, d.scans, d.refusals];
    for (const c of counted) expect({ list: c.list, count: (await listAll(c.list)).length }).toEqual({ list: c.list, count: c.count });

    // What was built is in the counts: five blocked lots, several reasons, one violation, one recall, scans and three refusals.
    expect(d.lotsNotSellable.count).toBe(5);
    const byReason = Object.fromEntries(d.lotsNotSellable.byReason.map((r) => [r.reason, r.count]));
    expect(byReason).toMatchObject({ CUSTOMS_DECLARATION_MISSING: 4, LOT_LOCKED: 1, LOT_RECALLED: 1, TRACE_INCOMPLETE: 1 });
    expect(d.lotsNotSellable.list).toBe('/api/lots?status=BLOCKED');
    expect(d.openViolations).toEqual({ count: 1, list: '/api/violations?status=OPEN' });
    expect(d.recallsInProgress).toMatchObject({ count: 1, list: '/api/recalls?inProgress=true', unsold: [{ unit: 'KG', quantity: 100 }], holders: 1, told: 0 });
    expect(d.refusals.count).toBe(3);
    expect(d.scans.count).toBe(10);
    expect(d.scans.list).toMatch(/^\/api\/scans\?since=.+&until=.+$/);
  });

  it('lists refused scans with the key that sent them, the code it was answered, and nothing of them applied', async () => {
    const refusals = await listAll('/api/refusals');
    expect(refusals.map((r) => [r.keyId, r.keyName, r.action, r.code])).toEqual([
      [operator.id, 'dashboard scanner', 'DISPATCH', 'TRADE_BLOCKED'],
      [operator.id, 'dashboard scanner', 'DISPATCH', 'TRADE_BLOCKED'],
      [operator.id, 'dashboard scanner', 'SELL', 'SALE_BLOCKED'],
    ]);
    // No scan of them was recorded.
    const scans = new Set((await listAll('/api/scans')).map((s) => s.scanId));
    for (const r of refusals) expect(scans.has(r.scanId)).toBe(false);
    // Filtered as any list: by lot.
    const sell = refusals.find((r) => r.code === 'SALE_BLOCKED')!;
    expect((await listAll(`/api/refusals?traceCode=${sell.traceCode}`)).map((r) => r.id)).toEqual([sell.id]);
  });

  it('lists violations and recalls across lots, and refuses filters it does not know', async () => {
    const [open] = await listAll('/api/violations?status=OPEN');
    expect(open).toMatchObject({ kind: expect.any(String), facilityId: n.store, status: 'OPEN' });
    const [recall] = await listAll('/api/recalls');
    expect(recall).toMatchObject({ lotCount: 1, unsoldLots: 1, inProgress: true, reason: 'positive sample', source: 'REGULATOR' });
    expect(await listAll('/api/recalls?inProgress=false')).toEqual([]);
    for (const bad of ['/api/violations?status=CLOSED', '/api/recalls?inProgress=yes', '/api/refusals?since=yesterday', `/api/scans?cursor=${uid()}`]) {
      const res = await t.http().get(bad);
      expect([bad, res.status, res.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
  });
});
