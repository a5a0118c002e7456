import { runRequestedRebuilds } from '@app/read-models';
import { createTestApp, TestApp } from './support/test-app';
import {
  attachAllPapers,
  attachDocument,
  eligibility,
  minutesAgo,
  Network,
  reasonCodes,
  registerLot,
  registerNetwork,
  scan,
  scanOk,
  uid,
  walkToStore,
} from './support/fixtures';

/**
 * Domain integrity over HTTP: violations a regulator resolves on the record,
 * times that cannot have happened refused, late uploads placed by their time,
 * implausible papers refused, and papers reaching the children of a split.
 */

interface Violation {
  id: string;
  kind: string;
  status: string;
  resolution: { reason: string; resolvedAt: string } | null;
}

describe('domain integrity (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The stream's version and the log's head: what a refused command must leave as it was. */
  const recorded = async (traceCode: string) => ({ head: await t.store.headPosition(), version: (await t.store.readStream(`lot-${traceCode}`)).version });
  const lotView = async (traceCode: string, atLeast: number) => (await t.http().get(`/api/lots/${traceCode}?atLeast=${atLeast}`).expect(200)).body;

  const anotherStore = async () => {
    const id = `RS2-${uid()}`;
    await t.http().post('/api/facilities').send({ id, name: 'Another store', type: 'RETAIL_STORE', zones: [{ id: 'SALES-9', kind: 'DEDICATED_SALES' }] }).expect(201);
    return id;
  };

  describe('a stray scan, resolved by a regulator', () => {
    it('blocks the lot until a regulator resolves it with a correction; then the lot is sellable, and the record shows who did what', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      await walkToStore(t, n, traceCode);
      const elsewhere = await anotherStore();

      // A SAMPLE scanned by mistake at a store that never had the lot.
      const stray = await scanOk(t, { traceCode, facilityId: elsewhere, action: 'SAMPLE' });
      expect(stray.violations.map((v) => v.kind)).toEqual(['CUSTODY_GAP']);
      const blocked = await eligibility(t, traceCode, stray.position);
      expect(reasonCodes(blocked)).toContain('TRACE_INCOMPLETE');
      const lot = await lotView(traceCode, stray.position);
      const [violation] = lot.violations as Violation[];
      expect(violation).toMatchObject({ kind: 'CUSTODY_GAP', status: 'OPEN', resolution: null, id: expect.stringMatching(/\.CUSTODY_GAP$/) });

      // Only a regulator may resolve.
      const url = `/api/lots/${traceCode}/violations/${violation.id}/resolve`;
      const body = { reason: 'scanned by mistake at the wrong store', correction: { facilityId: n.store, zoneId: n.zones.storeSales } };
      const operator = await t.issueKey('OPERATOR', [n.store, elsewhere], 'store staff');
      const before = await recorded(traceCode);
      for (const token of [operator.token, t.tokens.inspector, t.tokens.admin]) {
        const refused = await t.as(token).post(url).send(body);
        expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
      }
      expect(await recorded(traceCode)).toEqual(before);

      const resolved = await t.as(t.tokens.regulator).post(url).send(body).expect(200);
      expect(resolved.body).toMatchObject({ traceCode, violationId: violation.id, lotsAffected: 1, correctionId: expect.any(String) });

      const ok = await eligibility(t, traceCode, resolved.body.position);
      expect(ok).toMatchObject({ allowed: true, reasons: [] });
      const after = await lotView(traceCode, resolved.body.position);
      expect(after.violations).toEqual([
        expect.objectContaining({ id: violation.id, status: 'RESOLVED', resolution: { reason: 'scanned by mistake at the wrong store', resolvedAt: expect.any(String) } }),
      ]);
      expect(after.holder).toMatchObject({ facilityId: n.store, zoneId: n.zones.storeSales });

      // The record: the stray scan stays; the resolution and the correction are there, signed by the regulator's key.
      const history = (await t.http().get(`/api/lots/${traceCode}/history?atLeast=${resolved.body.position}`).expect(200)).body.events as {
        type: string;
        scanId: string | null;
        actor: { name: string; role: string };
        data: Record<string, unknown>;
      }[];
      expect(history.filter((e) => e.type === 'LotSampled' && e.scanId !== null).map((e) => e.data.facilityId)).toContain(elsewhere);
      const resolution = history.find((e) => e.type === 'ViolationResolved')!;
      const correction = history.find((e) => e.type === 'CustodyCorrected')!;
      expect(resolution.actor).toMatchObject({ name: 'test-regulator', role: 'REGULATOR' });
      expect(correction.actor).toMatchObject({ name: 'test-regulator', role: 'REGULATOR' });
      expect(correction.data).toMatchObject({ violationId: violation.id, facilityId: n.store, zoneId: n.zones.storeSales });

      // Resolving again: 409; an unknown violation: 404.
      const again = await t.as(t.tokens.regulator).post(url).send({ reason: 'twice' });
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'VIOLATION_ALREADY_RESOLVED' });
      const unknown = await t.as(t.tokens.regulator).post(`/api/lots/${traceCode}/violations/nope.CUSTODY_GAP/resolve`).send({ reason: 'x' });
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'VIOLATION_NOT_FOUND' });

      // And the lot sells.
      await scanOk(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 1 });
    });

    it("a resolution reaches the children that inherited the violation, each naming the ancestor", async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      await walkToStore(t, n, traceCode);
      const elsewhere = await anotherStore();
      await scanOk(t, { traceCode, facilityId: elsewhere, action: 'SAMPLE' });
      // The (now apparently) elsewhere-held lot is split there; the child inherits the open violation.
      const split = await t.http().post(`/api/lots/${traceCode}/splits`).send({ splitId: `S-${uid()}`, children: [{ traceCode: `${traceCode}-C`, quantity: 5 }] }).expect(201);
      const parent = await lotView(traceCode, split.body.position);
      const child = await lotView(`${traceCode}-C`, split.body.position);
      expect(child.violations).toEqual([expect.objectContaining({ id: parent.violations[0].id, status: 'OPEN' })]);

      const resolved = await t
        .as(t.tokens.regulator)
        .post(`/api/lots/${traceCode}/violations/${parent.violations[0].id}/resolve`)
        .send({ reason: 'reviewed with the store' })
        .expect(200);
      expect(resolved.body.lotsAffected).toBe(2);
      const childAfter = await lotView(`${traceCode}-C`, resolved.body.position);
      expect(childAfter.violations).toEqual([expect.objectContaining({ status: 'RESOLVED' })]);
      const childHistory = (await t.http().get(`/api/lots/${traceCode}-C/history?atLeast=${resolved.body.position}`).expect(200)).body.events as {
        type: string;
        data: Record<string, unknown>;
      }[];
      expect(childHistory.find((e) => e.type === 'ViolationResolved')!.data).toMatchObject({ inheritedFrom: traceCode });
    });
  });

  describe('times that cannot have happened are refused, and nothing is recorded', () => {
    let n: Network;
    let traceCode: string;
    beforeAll(async () => {
      n = await registerNetwork(t);
      traceCode = (await registerLot(t, n)).traceCode; // entered 600 minutes ago
      await walkToStore(t, n, traceCode); // each scan dated a minute ago
    });

    it.each([
      ['a SELL dated 2001-01-01', 'OCCURRED_BEFORE_ENTRY', () => ({ action: 'SELL' as const, facilityId: n.store, zoneId: n.zones.storeSales, quantity: 1, occurredAt: '2001-01-01T00:00:00Z' })],
      ['a SELL dated before the lot entered the country', 'OCCURRED_BEFORE_ENTRY', () => ({ action: 'SELL' as const, facilityId: n.store, zoneId: n.zones.storeSales, quantity: 1, occurredAt: minutesAgo(700) })],
      ['a SELL an hour before the store received the lot', 'SALE_BEFORE_RECEIPT', () => ({ action: 'SELL' as const, facilityId: n.store, zoneId: n.zones.storeSales, quantity: 1, occurredAt: minutesAgo(61) })],
      ['a DISPATCH dated before its RECEIVE', 'DISPATCH_BEFORE_RECEIPT', () => ({ action: 'DISPATCH' as const, facilityId: n.store, toFacilityId: n.market, occurredAt: minutesAgo(90) })],
    ] as const)('%s: 422 %s', async (_name, code, input) => {
      const before = await recorded(traceCode);
      const res = await scan(t, { traceCode, ...input() });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code });
      expect(await recorded(traceCode)).toEqual(before);
    });
  });

  describe('a RECEIVE uploaded late (the handheld was offline)', () => {
    it('is accepted and flagged OUT_OF_ORDER_SCAN, fills the gap the later scans showed, and the lot goes on to be sold', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      await attachAllPapers(t, traceCode);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, occurredAt: minutesAgo(500), vehicle: { plate: 'T-1' } });
      const store = await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage, occurredAt: minutesAgo(470) });
      expect(store.violations.map((v) => v.kind)).toEqual(['CUSTODY_GAP']);
      // Not out of the warehouse while its receipt is missing.
      const early = await scan(t, { traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, occurredAt: minutesAgo(400) });
      expect({ status: early.status, code: early.body.code }).toEqual({ status: 422, code: 'TRADE_BLOCKED' });

      // The receipt, scanned at 480 minutes ago, uploads now.
      const late = await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake, occurredAt: minutesAgo(480) });
      expect(late.violations).toEqual([]);
      expect((late as unknown as { flags: { flag: string }[] }).flags.map((f) => f.flag)).toEqual(['OUT_OF_ORDER_SCAN']);
      const lot = await lotView(traceCode, late.position);
      expect(lot.violations).toEqual([expect.objectContaining({ kind: 'CUSTODY_GAP', status: 'EXPLAINED' })]);
      expect(lot.holder).toMatchObject({ facilityId: n.warehouse, zoneId: n.zones.warehouseStorage });
      expect(lot.flags.map((f: { flag: string }) => f.flag)).toContain('OUT_OF_ORDER_SCAN');

      await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, occurredAt: minutesAgo(400) });
      await scanOk(t, { traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage, occurredAt: minutesAgo(390) });
      await scanOk(t, { traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, occurredAt: minutesAgo(300) });
      await scanOk(t, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeGeneral, occurredAt: minutesAgo(290) });
      const last = await scanOk(t, { traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales, occurredAt: minutesAgo(280) });
      expect(await eligibility(t, traceCode, last.position)).toMatchObject({ allowed: true, reasons: [] });

      // History as recorded, or as it happened.
      const asRecorded = (await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last.position}`).expect(200)).body;
      const asOccurred = (await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last.position}&order=occurred`).expect(200)).body;
      const scans = (h: { events: { type: string }[] }) => h.events.map((e) => e.type).filter((type) => ['LotDispatched', 'LotReceived', 'LotStored'].includes(type));
      expect(asRecorded.order).toBe('recorded');
      expect(scans(asRecorded).slice(0, 3)).toEqual(['LotDispatched', 'LotStored', 'LotReceived']);
      expect(asOccurred.order).toBe('occurred');
      expect(scans(asOccurred).slice(0, 3)).toEqual(['LotDispatched', 'LotReceived', 'LotStored']);
      const bad = await t.http().get(`/api/lots/${traceCode}/history?order=sideways`);
      expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('papers', () => {
    it('a NEGATIVE test "issued" in 2001 for a lot that entered hours ago is refused: OCCURRED_BEFORE_ENTRY', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      const before = await recorded(traceCode);
      const res = await t
        .http()
        .post(`/api/lots/${traceCode}/documents`)
        .send({ type: 'NUCLEIC_ACID_TEST', number: `NAT-${uid()}`, issuer: 'Lab', issuedAt: '2001-06-01T08:00:00Z', result: 'NEGATIVE' });
      expect({ status: res.status, code: res.body.code, field: res.body.details?.field }).toEqual({ status: 422, code: 'OCCURRED_BEFORE_ENTRY', field: 'issuedAt' });
      expect(await recorded(traceCode)).toEqual(before);
    });

    it.each(['2026', '2026-11', '2026-11-20T08:00:00', '2026-02-30T08:00:00Z'])('a date like %j: 400 VALIDATION_FAILED naming the field', async (issuedAt) => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      const res = await t.http().post(`/api/lots/${traceCode}/documents`).send({ type: 'DISINFECTION', number: `D-${uid()}`, issuer: 'Lab', issuedAt });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body.details)).toContain('issuedAt');
    });

    it('a parent split into two children, then given all four papers: both children are sale-eligible at the store', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'T-1' } });
      await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
      const children = [`${traceCode}-A`, `${traceCode}-B`];
      await t
        .http()
        .post(`/api/lots/${traceCode}/splits`)
        .send({ splitId: `S-${uid()}`, children: children.map((c) => ({ traceCode: c, quantity: 10 })) })
        .expect(201);

      for (const type of ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION'] as const) {
        const attached = await attachDocument(t, traceCode, type);
        expect((attached as unknown as { documentReached: number }).documentReached).toBe(2);
      }
      for (const child of children) {
        await scanOk(t, { traceCode: child, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });
        await scanOk(t, { traceCode: child, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });
        await scanOk(t, { traceCode: child, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store });
        await scanOk(t, { traceCode: child, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeGeneral });
        const stored = await scanOk(t, { traceCode: child, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
        expect(await eligibility(t, child, stored.position)).toMatchObject({ allowed: true, reasons: [] });
        const history = (await t.http().get(`/api/lots/${child}/history?atLeast=${stored.position}`).expect(200)).body.events as {
          type: string;
          data: { source?: { traceCode: string } };
        }[];
        const reached = history.filter((e) => e.type === 'DocumentAttached');
        expect(reached).toHaveLength(4);
        for (const e of reached) expect(e.data.source).toMatchObject({ traceCode });
      }
    });

    it('the same document number on an unrelated lot is flagged DOCUMENT_REUSED; on a lot of the same genealogy or import declaration it is not', async () => {
      const n = await registerNetwork(t);
      const a = await registerLot(t, n);
      const b = await registerLot(t, n);
      const number = `DIS-${uid()}`;
      await attachDocument(t, a.traceCode, 'DISINFECTION', { number });
      const reused = await attachDocument(t, b.traceCode, 'DISINFECTION', { number });
      const lotB = await lotView(b.traceCode, reused.position);
      expect(lotB.flags).toEqual([expect.objectContaining({ flag: 'DOCUMENT_REUSED', facilityId: null, message: expect.stringContaining(a.traceCode) })]);

      // One import declaration: the same customs declaration on both lots makes them related.
      const c = await registerLot(t, n);
      const d = await registerLot(t, n);
      const declaration = `CD-${uid()}`;
      await attachDocument(t, c.traceCode, 'CUSTOMS_DECLARATION', { number: declaration });
      await attachDocument(t, d.traceCode, 'CUSTOMS_DECLARATION', { number: declaration });
      const shared = `IQ-${uid()}`;
      await attachDocument(t, c.traceCode, 'INSPECTION_QUARANTINE', { number: shared });
      const same = await attachDocument(t, d.traceCode, 'INSPECTION_QUARANTINE', { number: shared });
      expect((await lotView(d.traceCode, same.position)).flags).toEqual([]);

      // One genealogy: a parent's paper attached again to its child.
      const parent = await registerLot(t, n);
      const paper = `DIS-${uid()}`;
      await attachDocument(t, parent.traceCode, 'DISINFECTION', { number: paper });
      await t.http().post(`/api/lots/${parent.traceCode}/splits`).send({ splitId: `S-${uid()}`, children: [{ traceCode: `${parent.traceCode}-K`, quantity: 3 }] }).expect(201);
      const onChild = await attachDocument(t, `${parent.traceCode}-K`, 'DISINFECTION', { number: paper });
      expect((await lotView(`${parent.traceCode}-K`, onChild.position)).flags).toEqual([]);
    });
  });

  describe('read models rebuilt when a migration asks', () => {
    it('the service carried out the rebuild the migration requested before it served reads', async () => {
      expect(await t.dataSource.query(`SELECT projection FROM read_model_rebuilds`)).toEqual([]);
    });

    it('a requested rebuild refills reshaped rows from the log with the current code', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      const stored = await walkToStore(t, n, traceCode);
      const good = await lotView(traceCode, stored.position);
      await t.projections.stop();
      try {
        // As a migration leaves them: rows emptied of what the new shape needs, and a request.
        await t.dataSource.query(`UPDATE sale_eligibility SET facts = '{}'::jsonb, allowed = false WHERE trace_code = $1`, [traceCode]);
        await t.dataSource.query(`UPDATE lot_summary SET lot = '{}'::jsonb WHERE trace_code = $1`, [traceCode]);
        await t.dataSource.query(`INSERT INTO read_model_rebuilds (projection, reason) VALUES ('lot-summary', 'test'), ('sale-eligibility', 'test')`);
        const counts = await runRequestedRebuilds(t.dataSource);
        expect(Object.keys(counts).sort()).toEqual(['lot-summary', 'sale-eligibility']);
        expect(await t.dataSource.query(`SELECT projection FROM read_model_rebuilds`)).toEqual([]);
        // Nothing left to do for the next process that starts.
        expect(await runRequestedRebuilds(t.dataSource)).toEqual({});
      } finally {
        t.projections.start(t.store.appended, { pollIntervalMs: 50, retryDelayMs: 100 }, { error: () => undefined });
      }
      const [row] = await t.dataSource.query(`SELECT facts ? 'paperLines' AS has, allowed FROM sale_eligibility WHERE trace_code = $1`, [traceCode]);
      expect(row).toEqual({ has: true, allowed: true });
      expect({ ...(await lotView(traceCode, stored.position)), updatedAt: null }).toEqual({ ...good, updatedAt: null });
    });
  });
});
