import { REASON_CODES } from '@app/domain';
import { createTestApp, TestApp } from './support/test-app';
import {
  attachDocument,
  daysAgo,
  DocType,
  inDays,
  minutesAgo,
  Network,
  registerLot,
  registerNetwork,
  scan,
  ScanInput,
  scanOk,
  uid,
  walkToStore,
} from './support/fixtures';

/**
 * Every reason a lot may be blocked from sale, each shown produced by the
 * real-world situation that causes it and cleared by the real-world action
 * that fixes it, through the HTTP API only (real app, real PostgreSQL).
 * Read models are always read with `?atLeast=<position>` of the last command.
 */

interface Reason {
  code: string;
  message: string;
}

interface EligibilityView {
  traceCode: string;
  allowed: boolean;
  reasons: Reason[];
  position: number;
  version: number;
}

interface ErrorBody {
  code: string;
  message: string;
  details?: { reasons?: Reason[] };
}

interface CommandBody {
  traceCode: string;
  version: number;
  position: number;
  events: { type: string; version: number }[];
}

interface ScanBody extends CommandBody {
  scanId: string;
  action: string;
  violations: { kind: string; message: string }[];
}

interface DocumentBody extends CommandBody {
  locked: boolean;
}

interface LotView {
  traceCode: string;
  status: string;
  version: number;
  quantity: { initial: number; remaining: number; unit: string } | null;
  violations: { kind: string; facilityId: string; message: string }[];
  lock: { reason: string; source: string } | null;
}

const ALL_CODES = [
  'CUSTOMS_DECLARATION_MISSING',
  'INSPECTION_CERTIFICATE_MISSING',
  'NUCLEIC_ACID_TEST_MISSING',
  'NUCLEIC_ACID_TEST_POSITIVE',
  'DISINFECTION_CERTIFICATE_MISSING',
  'CERTIFICATE_EXPIRED',
  'CENTRAL_WAREHOUSE_NOT_PASSED',
  'TRACE_INCOMPLETE',
  'NOT_AT_RETAIL_STORE',
  'NOT_IN_DEDICATED_SALES_ZONE',
  'LOT_LOCKED',
  'QUANTITY_EXHAUSTED',
] as const;
type Code = (typeof ALL_CODES)[number];

const ALL_PAPERS: DocType[] = ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION'];

const MISSING_CODE: Record<DocType, { code: Code; message: RegExp }> = {
  CUSTOMS_DECLARATION: { code: 'CUSTOMS_DECLARATION_MISSING', message: /customs declaration/i },
  INSPECTION_QUARANTINE: { code: 'INSPECTION_CERTIFICATE_MISSING', message: /inspection-and-quarantine certificate/i },
  NUCLEIC_ACID_TEST: { code: 'NUCLEIC_ACID_TEST_MISSING', message: /nucleic-acid test/i },
  DISINFECTION: { code: 'DISINFECTION_CERTIFICATE_MISSING', message: /disinfection certificate/i },
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('sale-eligibility reason codes (e2e, real PostgreSQL, HTTP only)', () => {
  let t: TestApp;
  /** Every code some test has seen the API produce; the last test checks all 12 were. */
  const produced = new Set<string>();

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  // ---------------------------------------------------------------- helpers

  const eligibilityOf = async (traceCode: string, atLeast: number): Promise<EligibilityView> => {
    const res = await t.http().get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${atLeast}`);
    expect(res.status).toBe(200);
    const view = res.body as EligibilityView;
    for (const r of view.reasons) {
      produced.add(r.code);
      // Every reason carries a human message that says something.
      expect(typeof r.message).toBe('string');
      expect(r.message.trim().length).toBeGreaterThan(0);
    }
    expect(view.allowed).toBe(view.reasons.length === 0);
    return view;
  };

  const codes = (reasons: readonly Reason[]): string[] => reasons.map((r) => r.code);

  /** The reason with this code; its message must be non-empty and match `message`. */
  const reason = (reasons: readonly Reason[], code: Code, message?: RegExp): Reason => {
    const found = reasons.filter((r) => r.code === code);
    expect(found.length).toBeGreaterThanOrEqual(1);
    const r = found[0];
    expect(r.message.trim().length).toBeGreaterThan(0);
    if (message) expect(found.some((f) => message.test(f.message))).toBe(true);
    return r;
  };

  const lotOf = async (traceCode: string, atLeast: number): Promise<LotView> => {
    const res = await t.http().get(`/api/lots/${traceCode}?atLeast=${atLeast}`);
    expect(res.status).toBe(200);
    return res.body as LotView;
  };

  /** A scan that must be accepted without revealing any rule break. */
  const cleanScan = async (s: ScanInput): Promise<ScanBody> => {
    const res = await scan(t, s);
    if (res.status !== 201) throw new Error(`scan ${s.action} at ${s.facilityId} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as ScanBody;
    expect(body.violations).toEqual([]);
    return body;
  };

  /** A scan that must be refused; returns the error body (nothing may have been recorded). */
  const refusedScan = async (s: ScanInput, status: number, code: string): Promise<ErrorBody> => {
    const res = await scan(t, s);
    expect({ status: res.status, code: (res.body as ErrorBody).code }).toEqual({ status, code });
    const body = res.body as ErrorBody;
    for (const r of body.details?.reasons ?? []) expect(r.message.trim().length).toBeGreaterThan(0);
    return body;
  };

  const attach = async (
    traceCode: string,
    type: DocType,
    extra: { number?: string; result?: 'NEGATIVE' | 'POSITIVE'; issuedAt?: string; validUntil?: string } = {},
  ): Promise<DocumentBody> => {
    const res = await t
      .http()
      .post(`/api/lots/${traceCode}/documents`)
      .send({
        type,
        number: extra.number ?? `${type}-${uid()}`,
        issuer: 'Authority',
        issuedAt: extra.issuedAt ?? minutesAgo(500),
        ...(extra.validUntil ? { validUntil: extra.validUntil } : {}),
        ...(type === 'NUCLEIC_ACID_TEST' ? { result: extra.result ?? 'NEGATIVE' } : {}),
      });
    expect(res.status).toBe(201);
    return res.body as DocumentBody;
  };

  /** Attaches every paper except the ones named; returns the last position (or `since` if none). */
  const attachPapersExcept = async (traceCode: string, except: DocType[], since: number): Promise<number> => {
    let position = since;
    for (const type of ALL_PAPERS.filter((p) => !except.includes(p))) position = (await attachDocument(t, traceCode, type)).position;
    return position;
  };

  /** Port -> central warehouse (received at intake, stored in dedicated storage). */
  const toWarehouse = async (n: Network, traceCode: string) => {
    await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' } });
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISINFECT' });
    return cleanScan({ traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage });
  };

  /** Central warehouse -> wholesale market (received into its dedicated storage). */
  const warehouseToMarket = async (n: Network, traceCode: string) => {
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });
    return cleanScan({ traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });
  };

  /** Wholesale market -> retail store -> its dedicated sales zone. */
  const marketToStoreSales = async (n: Network, traceCode: string) => {
    await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store });
    await cleanScan({ traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeGeneral });
    return cleanScan({ traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
  };

  const sell = (n: Network, traceCode: string, quantity: number): ScanInput => ({
    traceCode,
    facilityId: n.store,
    action: 'SELL',
    zoneId: n.zones.storeSales,
    quantity,
  });

  /** A lot with every paper, sitting in the store's dedicated sales zone, allowed for sale. */
  const lotReadyForSale = async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n, undefined, 100, 'KG');
    const atStore = await walkToStore(t, n, traceCode);
    expect(atStore.violations).toEqual([]);
    const ready = await eligibilityOf(traceCode, atStore.position);
    expect(ready).toMatchObject({ allowed: true, reasons: [] });
    return { n, traceCode, position: atStore.position };
  };

  // ------------------------------------------------------ the 12 reason codes

  describe('each reason code is produced, then cleared by the action that fixes it', () => {
    it.each(ALL_PAPERS)('%s missing: produced while the paper is not on file, cleared by attaching it', async (missing) => {
      const { code, message } = MISSING_CODE[missing];
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [missing], registeredAt);
      const inWarehouse = await toWarehouse(n, traceCode);

      const blocked = await eligibilityOf(traceCode, inWarehouse.position);
      expect(blocked.allowed).toBe(false);
      expect(codes(blocked.reasons)).toEqual([code, 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(blocked.reasons, code, message);

      // 四不: it may not leave the central warehouse either.
      const refused = await refusedScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }, 422, 'TRADE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual([code]);

      const attached = await attach(traceCode, missing);
      expect(attached.events.map((e) => e.type)).toEqual(['DocumentAttached']);
      const cleared = await eligibilityOf(traceCode, attached.position);
      expect(codes(cleared.reasons)).toEqual(['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);

      await warehouseToMarket(n, traceCode);
      const inSalesZone = await marketToStoreSales(n, traceCode);
      expect(await eligibilityOf(traceCode, inSalesZone.position)).toMatchObject({ allowed: true, reasons: [] });
    });

    it('NUCLEIC_ACID_TEST_POSITIVE: a positive test locks the lot and blocks sale; a newer negative retest clears it, the lock stays until unlocked', async () => {
      const { n, traceCode } = await lotReadyForSale();

      const positiveNumber = `PCR-POS-${uid()}`;
      const positive = await attach(traceCode, 'NUCLEIC_ACID_TEST', { number: positiveNumber, result: 'POSITIVE', issuedAt: minutesAgo(30) });
      expect(positive.locked).toBe(true);
      expect(positive.events.map((e) => e.type)).toEqual(['DocumentAttached', 'LotLocked']);

      const blocked = await eligibilityOf(traceCode, positive.position);
      expect(codes(blocked.reasons)).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED']);
      reason(blocked.reasons, 'NUCLEIC_ACID_TEST_POSITIVE', new RegExp(`${escape(positiveNumber)}.*POSITIVE`));
      reason(blocked.reasons, 'LOT_LOCKED', new RegExp(escape(positiveNumber)));

      // The retailer's SELL at the store is refused, naming both reasons.
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(expect.arrayContaining(['LOT_LOCKED', 'NUCLEIC_ACID_TEST_POSITIVE']));

      // A retest issued later, negative: the positive result no longer counts, but the lock it caused stays.
      const retest = await attach(traceCode, 'NUCLEIC_ACID_TEST', { result: 'NEGATIVE', issuedAt: minutesAgo(5) });
      expect(retest.locked).toBe(true);
      expect(retest.events.map((e) => e.type)).toEqual(['DocumentAttached']);
      const stillLocked = await eligibilityOf(traceCode, retest.position);
      expect(codes(stillLocked.reasons)).toEqual(['LOT_LOCKED']);
      expect((await lotOf(traceCode, retest.position)).lock).toMatchObject({ source: 'POSITIVE_TEST' });
      await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');

      const unlocked = await t.http().post(`/api/lots/${traceCode}/unlock`).send({ reason: 'negative retest confirmed by the regulator' });
      expect(unlocked.status).toBe(200);
      const unlockedBody = unlocked.body as DocumentBody;
      expect(unlockedBody.locked).toBe(false);
      expect(await eligibilityOf(traceCode, unlockedBody.position)).toMatchObject({ allowed: true, reasons: [] });
      await cleanScan(sell(n, traceCode, 1));
    });

    it('CERTIFICATE_EXPIRED: produced by an expired certificate, cleared by a newer one valid for longer', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, ['INSPECTION_QUARANTINE'], registeredAt);
      const expiredNumber = `IQ-OLD-${uid()}`;
      const validUntil = daysAgo(1);
      await attach(traceCode, 'INSPECTION_QUARANTINE', { number: expiredNumber, issuedAt: daysAgo(10), validUntil });
      const inWarehouse = await toWarehouse(n, traceCode);

      const blocked = await eligibilityOf(traceCode, inWarehouse.position);
      expect(codes(blocked.reasons)).toEqual(['CERTIFICATE_EXPIRED', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(blocked.reasons, 'CERTIFICATE_EXPIRED', new RegExp(`${escape(expiredNumber)}.*expired`));
      // An expired certificate is not a certificate: the lot may not be traded onwards.
      const refused = await refusedScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }, 422, 'TRADE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['CERTIFICATE_EXPIRED']);

      const renewed = await attach(traceCode, 'INSPECTION_QUARANTINE', { issuedAt: minutesAgo(5), validUntil: inDays(30) });
      const cleared = await eligibilityOf(traceCode, renewed.position);
      expect(codes(cleared.reasons)).toEqual(['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);

      await warehouseToMarket(n, traceCode);
      const inSalesZone = await marketToStoreSales(n, traceCode);
      expect(await eligibilityOf(traceCode, inSalesZone.position)).toMatchObject({ allowed: true, reasons: [] });
    });

    it('CENTRAL_WAREHOUSE_NOT_PASSED: produced until the lot is received at a central warehouse', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      const papered = await attachPapersExcept(traceCode, [], registeredAt);

      const atPort = await eligibilityOf(traceCode, papered);
      expect(codes(atPort.reasons)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(atPort.reasons, 'CENTRAL_WAREHOUSE_NOT_PASSED', /central warehouse/i);
      reason(atPort.reasons, 'NOT_AT_RETAIL_STORE', new RegExp(escape(n.port)));

      const dispatched = await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' } });
      const onTheRoad = await eligibilityOf(traceCode, dispatched.position);
      expect(codes(onTheRoad.reasons)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'TRACE_INCOMPLETE', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);

      const received = await cleanScan({ traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
      const passed = await eligibilityOf(traceCode, received.position);
      expect(codes(passed.reasons)).toEqual(['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
    });

    it('TRACE_INCOMPLETE: produced while in transit after a DISPATCH, cleared by the matching RECEIVE', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [], registeredAt);
      await toWarehouse(n, traceCode);
      await warehouseToMarket(n, traceCode);

      const dispatched = await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, vehicle: { plate: 'VAN-7' } });
      const inTransit = await eligibilityOf(traceCode, dispatched.position);
      expect(codes(inTransit.reasons)).toEqual(['TRACE_INCOMPLETE', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(inTransit.reasons, 'TRACE_INCOMPLETE', new RegExp(`${escape(n.market)}.*${escape(n.store)}`));
      reason(inTransit.reasons, 'NOT_AT_RETAIL_STORE', /in transit/i);
      expect((await lotOf(traceCode, dispatched.position)).status).toBe('IN_TRANSIT');

      // Received straight into the store's dedicated sales zone: nothing is left.
      const received = await cleanScan({ traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeSales });
      expect(await eligibilityOf(traceCode, received.position)).toMatchObject({ allowed: true, reasons: [] });
    });

    it('NOT_AT_RETAIL_STORE and NOT_IN_DEDICATED_SALES_ZONE: cleared by RECEIVE at the store and STORE into its dedicated sales zone', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [], registeredAt);
      await toWarehouse(n, traceCode);
      const atMarket = await warehouseToMarket(n, traceCode);

      const wholesale = await eligibilityOf(traceCode, atMarket.position);
      expect(codes(wholesale.reasons)).toEqual(['NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(wholesale.reasons, 'NOT_AT_RETAIL_STORE', new RegExp(`WHOLESALE_MARKET.*${escape(n.market)}`));
      reason(wholesale.reasons, 'NOT_IN_DEDICATED_SALES_ZONE', /DEDICATED_STORAGE/);

      await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store });
      const received = await cleanScan({ traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeGeneral });
      const backRoom = await eligibilityOf(traceCode, received.position);
      expect(codes(backRoom.reasons)).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);
      reason(backRoom.reasons, 'NOT_IN_DEDICATED_SALES_ZONE', /GENERAL/);

      // Selling out of the general zone is refused for the same reason.
      const fromGeneral = await refusedScan(
        { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeGeneral, quantity: 1 },
        422,
        'SALE_BLOCKED',
      );
      expect(codes(fromGeneral.details?.reasons ?? [])).toEqual(['NOT_IN_DEDICATED_SALES_ZONE']);

      const stored = await cleanScan({ traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
      expect(await eligibilityOf(traceCode, stored.position)).toMatchObject({ allowed: true, reasons: [] });

      // Another retail store may not sell a lot this store holds.
      const otherStore = `RS2-${uid()}`;
      await t
        .http()
        .post('/api/facilities')
        .send({ id: otherStore, name: 'Another retail store', type: 'RETAIL_STORE', zones: [{ id: 'SALES-9', kind: 'DEDICATED_SALES' }] })
        .expect(201);
      const elsewhere = await refusedScan(
        { traceCode, facilityId: otherStore, action: 'SELL', zoneId: 'SALES-9', quantity: 1 },
        422,
        'SALE_BLOCKED',
      );
      const notHere = reason(elsewhere.details?.reasons ?? [], 'NOT_AT_RETAIL_STORE');
      expect(notHere.message).toContain(n.store);
      expect(notHere.message).toContain(otherStore);

      await cleanScan(sell(n, traceCode, 1));
    });

    it('LOT_LOCKED: produced by a regulator lock, cleared by unlock', async () => {
      const { n, traceCode } = await lotReadyForSale();

      const lockReason = `suspected contamination ${uid()}`;
      const lock = await t.http().post(`/api/lots/${traceCode}/lock`).send({ reason: lockReason });
      expect(lock.status).toBe(200);
      const lockBody = lock.body as DocumentBody;
      expect(lockBody.locked).toBe(true);

      const locked = await eligibilityOf(traceCode, lockBody.position);
      expect(codes(locked.reasons)).toEqual(['LOT_LOCKED']);
      reason(locked.reasons, 'LOT_LOCKED', new RegExp(`REGULATOR.*${escape(lockReason)}`));
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['LOT_LOCKED']);
      expect((await lotOf(traceCode, lockBody.position)).status).toBe('LOCKED');

      const unlock = await t.http().post(`/api/lots/${traceCode}/unlock`).send({ reason: 'samples negative' });
      expect(unlock.status).toBe(200);
      const unlockBody = unlock.body as DocumentBody;
      expect(unlockBody.locked).toBe(false);
      expect(await eligibilityOf(traceCode, unlockBody.position)).toMatchObject({ allowed: true, reasons: [] });
      await cleanScan(sell(n, traceCode, 1));
    });

    it('QUANTITY_EXHAUSTED: produced by selling everything; a further SELL is refused SALE_BLOCKED', async () => {
      const { n, traceCode } = await lotReadyForSale();

      // Asking for more than remains is refused before anything is sold.
      const tooMuch = await refusedScan(sell(n, traceCode, 101), 422, 'SALE_BLOCKED');
      expect(codes(tooMuch.details?.reasons ?? [])).toEqual(['QUANTITY_EXHAUSTED']);
      reason(tooMuch.details?.reasons ?? [], 'QUANTITY_EXHAUSTED', /101.*100/);

      await cleanScan(sell(n, traceCode, 60));
      const soldOut = await cleanScan(sell(n, traceCode, 40));
      const exhausted = await eligibilityOf(traceCode, soldOut.position);
      expect(codes(exhausted.reasons)).toEqual(['QUANTITY_EXHAUSTED']);
      reason(exhausted.reasons, 'QUANTITY_EXHAUSTED', /remain/i);

      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['QUANTITY_EXHAUSTED']);
      const lot = await lotOf(traceCode, soldOut.position);
      expect(lot).toMatchObject({ status: 'SOLD_OUT', version: soldOut.version, quantity: { initial: 100, remaining: 0, unit: 'KG' } });
    });
  });

  // --------------------------------------------------- permanent violations

  describe('trace violations are recorded and block for good', () => {
    it('a RECEIVE at a facility the lot was not dispatched to is recorded as RECEIPT_WITHOUT_DISPATCH and blocks with TRACE_INCOMPLETE', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [], registeredAt);
      await toWarehouse(n, traceCode);
      await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });

      // It turns up at the store instead of the market it was sent to.
      const wrong = await scanOk(t, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeSales });
      expect(wrong.violations.length).toBeGreaterThan(0);
      expect(wrong.violations.map((v) => v.kind)).toEqual(['RECEIPT_WITHOUT_DISPATCH']);
      expect(wrong.violations[0].message.trim().length).toBeGreaterThan(0);

      const blocked = await eligibilityOf(traceCode, wrong.position);
      expect(codes(blocked.reasons)).toEqual(['TRACE_INCOMPLETE']);
      const broken = reason(blocked.reasons, 'TRACE_INCOMPLETE');
      expect(broken.message).toContain(n.store);
      expect(broken.message).toContain(n.market);
      const lot = await lotOf(traceCode, wrong.position);
      expect(lot.violations).toEqual([expect.objectContaining({ kind: 'RECEIPT_WITHOUT_DISPATCH', facilityId: n.store })]);

      // Nothing the store does afterwards repairs the broken chain.
      const stored = await cleanScan({ traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales });
      expect(codes((await eligibilityOf(traceCode, stored.position)).reasons)).toEqual(['TRACE_INCOMPLETE']);
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['TRACE_INCOMPLETE']);
    });

    it('a lot that reaches a wholesale market straight from the port is recorded as CENTRAL_WAREHOUSE_BYPASSED and stays blocked after it later passes a central warehouse', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [], registeredAt);

      await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-2' } });
      const atMarket = await scanOk(t, { traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });
      expect(atMarket.violations.map((v) => v.kind)).toEqual(['CENTRAL_WAREHOUSE_BYPASSED']);
      expect(atMarket.violations[0].message).toContain(n.market);

      const bypassed = await eligibilityOf(traceCode, atMarket.position);
      expect(codes(bypassed.reasons)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(bypassed.reasons, 'CENTRAL_WAREHOUSE_NOT_PASSED', new RegExp(`${escape(n.market)}.*without passing a central warehouse`));

      // The market may not trade it onwards, not even back to the warehouse.
      const refused = await refusedScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.warehouse }, 422, 'TRADE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toContain('CENTRAL_WAREHOUSE_NOT_PASSED');

      // Carried to the central warehouse anyway: it has now passed one, and still may not be sold.
      const atWarehouse = await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
      expect(atWarehouse.violations.map((v) => v.kind)).toEqual(['RECEIPT_WITHOUT_DISPATCH']);
      const later = await eligibilityOf(traceCode, atWarehouse.position);
      reason(later.reasons, 'CENTRAL_WAREHOUSE_NOT_PASSED', /without passing a central warehouse/);
      const lot = await lotOf(traceCode, atWarehouse.position);
      expect(lot.violations.map((v) => v.kind)).toEqual(['CENTRAL_WAREHOUSE_BYPASSED', 'RECEIPT_WITHOUT_DISPATCH']);
    });

    it('a bypass is not healed by a proper dispatch to, and receipt at, a central warehouse afterwards', async () => {
      const n = await registerNetwork(t);
      const { traceCode, position: registeredAt } = await registerLot(t, n);
      await attachPapersExcept(traceCode, [], registeredAt);

      // Port straight to a retail store (not a gated facility, so it can be sent on).
      await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.store });
      const atStore = await scanOk(t, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeSales });
      expect(atStore.violations.map((v) => v.kind)).toEqual(['CENTRAL_WAREHOUSE_BYPASSED']);
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED']);

      await cleanScan({ traceCode, facilityId: n.store, action: 'DISPATCH', toFacilityId: n.warehouse });
      const received = await cleanScan({ traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
      const later = await eligibilityOf(traceCode, received.position);
      expect(codes(later.reasons)).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED', 'NOT_AT_RETAIL_STORE', 'NOT_IN_DEDICATED_SALES_ZONE']);
      reason(later.reasons, 'CENTRAL_WAREHOUSE_NOT_PASSED', new RegExp(`${escape(n.store)}.*without passing a central warehouse`));
      await refusedScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }, 422, 'TRADE_BLOCKED');
    });
  });

  // ------------------------------------------------------------- trade gate

  describe('the central warehouse trade gate', () => {
    it('refuses a DISPATCH out of the central warehouse with 422 TRADE_BLOCKED while papers are missing, and accepts it once they are attached', async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      const inWarehouse = await toWarehouse(n, traceCode);

      const refused = await refusedScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }, 422, 'TRADE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual([
        'CUSTOMS_DECLARATION_MISSING',
        'INSPECTION_CERTIFICATE_MISSING',
        'NUCLEIC_ACID_TEST_MISSING',
        'DISINFECTION_CERTIFICATE_MISSING',
      ]);
      // The refusal recorded nothing: the lot is still held at the warehouse.
      const unchanged = await lotOf(traceCode, inWarehouse.position);
      expect(unchanged).toMatchObject({ version: inWarehouse.version, status: 'HELD' });

      // Partly papered is still refused, naming only what is still missing.
      await attach(traceCode, 'CUSTOMS_DECLARATION');
      await attach(traceCode, 'INSPECTION_QUARANTINE');
      const stillRefused = await refusedScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market }, 422, 'TRADE_BLOCKED');
      expect(codes(stillRefused.details?.reasons ?? [])).toEqual(['NUCLEIC_ACID_TEST_MISSING', 'DISINFECTION_CERTIFICATE_MISSING']);

      await attach(traceCode, 'NUCLEIC_ACID_TEST');
      await attach(traceCode, 'DISINFECTION');
      const dispatched = await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });
      expect(dispatched.events.map((e) => e.type)).toEqual(['LotDispatched']);
      expect((await lotOf(traceCode, dispatched.position)).status).toBe('IN_TRANSIT');
    });
  });

  it('every one of the 12 reason codes was produced by the API above', () => {
    expect([...ALL_CODES].sort()).toEqual([...REASON_CODES].sort());
    expect([...produced].sort()).toEqual([...ALL_CODES].sort());
  });
});
