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
  flags: { flag: string; message: string }[];
}

interface DocumentBody extends CommandBody {
  locked: boolean;
  /** Set when a POSITIVE result recalled the whole batch. */
  recallId?: string;
  lotsRecalled?: number;
}

/** What lock, unlock and recall answer: they reach every descendant. */
interface RegulatorBody {
  traceCode: string;
  version: number;
  position: number;
  lotsAffected: number;
}

interface LockBody extends RegulatorBody {
  locked: boolean;
}

interface RecallBody extends RegulatorBody {
  recallId: string;
}

interface SplitBody {
  splitId: string;
  traceCode: string;
  remaining: number;
  children: { traceCode: string; quantity: number; version: number }[];
  position: number;
}

interface HistoryView {
  traceCode: string;
  events: { version: number; type: string; data: Record<string, unknown> }[];
}

interface RecallView {
  recallId: string;
  origin: string;
  reason: string;
  source: string;
  lots: { traceCode: string; holderWhenRecalled: string | null; status: string | null }[];
}

interface LotView {
  traceCode: string;
  status: string;
  version: number;
  quantity: { initial: number; remaining: number; unit: string } | null;
  violations: { id: string; kind: string; facilityId: string; message: string }[];
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
  'LOT_RECALLED',
  'LOT_DESTROYED',
  'QUANTITY_EXHAUSTED',
  'TEMPERATURE_ABUSE',
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
  /** Every code some test has seen the API produce; the last test checks all 15 were. */
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

  const historyOf = async (traceCode: string, atLeast: number): Promise<HistoryView> => {
    const res = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${atLeast}`);
    expect(res.status).toBe(200);
    return res.body as HistoryView;
  };

  const recallOf = async (recallId: string, atLeast: number): Promise<RecallView> => {
    const res = await t.http().get(`/api/recalls/${recallId}?atLeast=${atLeast}`);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 200 });
    return res.body as RecallView;
  };

  /** A regulator action that must be accepted with `status`; returns its body. */
  const regulator = async <B>(traceCode: string, action: 'lock' | 'unlock' | 'recall' | 'destroy', body: object, status: number): Promise<B> => {
    const res = await t.http().post(`/api/lots/${traceCode}/${action}`).send(body);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status });
    return res.body as B;
  };

  /** A regulator action that must be refused; the lot's stream must not move. */
  const refusedRegulator = async (traceCode: string, action: 'lock' | 'unlock' | 'recall' | 'destroy', status: number, code: string): Promise<void> => {
    const before = (await t.store.readStream(`lot-${traceCode}`)).version;
    const res = await t.http().post(`/api/lots/${traceCode}/${action}`).send({ reason: `try to ${action} ${uid()}` });
    expect({ status: res.status, code: (res.body as ErrorBody).code }).toEqual({ status, code });
    expect((await t.store.readStream(`lot-${traceCode}`)).version).toBe(before);
  };

  /** A vehicle with its terminal disinfection on record: a dispatch with it raises no compliance flag. */
  const disinfected = (plate = 'TRUCK-1') => ({ plate, disinfectedAt: minutesAgo(30) });

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
    await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() });
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISINFECT' });
    return cleanScan({ traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage });
  };

  /** Central warehouse -> wholesale market (received into its dedicated storage). */
  const warehouseToMarket = async (n: Network, traceCode: string) => {
    await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, vehicle: disinfected() });
    return cleanScan({ traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });
  };

  /** Wholesale market -> retail store -> its dedicated sales zone. */
  const marketToStoreSales = async (n: Network, traceCode: string) => {
    await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, vehicle: disinfected() });
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

  // ------------------------------------------------------ the 14 reason codes

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

    it('NUCLEIC_ACID_TEST_POSITIVE: a positive test locks and recalls the lot; a newer negative retest clears the positive result, unlock clears the lock, the recall stays', async () => {
      const { n, traceCode } = await lotReadyForSale();

      const positiveNumber = `PCR-POS-${uid()}`;
      const positive = await attach(traceCode, 'NUCLEIC_ACID_TEST', { number: positiveNumber, result: 'POSITIVE', issuedAt: minutesAgo(30) });
      expect(positive.locked).toBe(true);
      expect(positive.events.map((e) => e.type)).toEqual(['DocumentAttached', 'LotLocked', 'LotRecalled']);
      // The whole batch is recalled: here a batch of one lot.
      expect(positive.lotsRecalled).toBe(1);
      const recallId = positive.recallId;
      if (typeof recallId !== 'string' || recallId.length === 0) throw new Error(`a positive test answered without a recallId: ${JSON.stringify(positive)}`);

      const blocked = await eligibilityOf(traceCode, positive.position);
      expect(codes(blocked.reasons)).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED', 'LOT_RECALLED']);
      reason(blocked.reasons, 'NUCLEIC_ACID_TEST_POSITIVE', new RegExp(`${escape(positiveNumber)}.*POSITIVE`));
      reason(blocked.reasons, 'LOT_LOCKED', new RegExp(escape(positiveNumber)));
      reason(blocked.reasons, 'LOT_RECALLED', new RegExp(`${escape(recallId)}.*POSITIVE_TEST.*${escape(traceCode)}.*${escape(positiveNumber)}`));

      // The history shows the recall, naming the lot that tested positive.
      const history = await historyOf(traceCode, positive.position);
      expect(history.events.slice(-3).map((e) => e.type)).toEqual(['DocumentAttached', 'LotLocked', 'LotRecalled']);
      expect(history.events[history.events.length - 1].data).toMatchObject({ recallId, origin: traceCode, source: 'POSITIVE_TEST', holderFacilityId: n.store });
      const recall = await recallOf(recallId, positive.position);
      expect(recall).toMatchObject({ recallId, origin: traceCode, source: 'POSITIVE_TEST' });
      expect(recall.lots.map((l) => l.traceCode)).toEqual([traceCode]);

      // The retailer's SELL at the store is refused, naming every reason.
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['NUCLEIC_ACID_TEST_POSITIVE', 'LOT_LOCKED', 'LOT_RECALLED']);

      // A retest issued later, negative: the positive result no longer counts, but the lock and the recall it caused stay.
      const retest = await attach(traceCode, 'NUCLEIC_ACID_TEST', { result: 'NEGATIVE', issuedAt: minutesAgo(5) });
      expect(retest.locked).toBe(true);
      expect(retest.events.map((e) => e.type)).toEqual(['DocumentAttached']);
      expect(retest.recallId).toBeUndefined();
      const stillLocked = await eligibilityOf(traceCode, retest.position);
      expect(codes(stillLocked.reasons)).toEqual(['LOT_LOCKED', 'LOT_RECALLED']);
      expect(await lotOf(traceCode, retest.position)).toMatchObject({ status: 'RECALLED', lock: { source: 'POSITIVE_TEST' } });
      const refusedAfterRetest = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refusedAfterRetest.details?.reasons ?? [])).toEqual(['LOT_LOCKED', 'LOT_RECALLED']);

      // The regulator unlocks: LOT_LOCKED goes, LOT_RECALLED is permanent.
      const unlocked = await regulator<LockBody>(traceCode, 'unlock', { reason: 'negative retest confirmed by the regulator' }, 200);
      expect(unlocked.locked).toBe(false);
      const recalled = await eligibilityOf(traceCode, unlocked.position);
      expect(codes(recalled.reasons)).toEqual(['LOT_RECALLED']);
      reason(recalled.reasons, 'LOT_RECALLED', new RegExp(`${escape(recallId)}.*${escape(traceCode)}`));
      expect(await lotOf(traceCode, unlocked.position)).toMatchObject({ status: 'RECALLED', lock: null, version: unlocked.version });
      const refusedAfterUnlock = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refusedAfterUnlock.details?.reasons ?? [])).toEqual(['LOT_RECALLED']);
      // Nothing was sold.
      expect((await lotOf(traceCode, unlocked.position)).quantity).toMatchObject({ initial: 100, remaining: 100 });
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

      const dispatched = await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() });
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

      const dispatched = await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, vehicle: disinfected('VAN-7') });
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

      await cleanScan({ traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: n.store, vehicle: disinfected() });
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
      const lockBody = lock.body as LockBody;
      expect(lockBody.locked).toBe(true);

      const locked = await eligibilityOf(traceCode, lockBody.position);
      expect(codes(locked.reasons)).toEqual(['LOT_LOCKED']);
      reason(locked.reasons, 'LOT_LOCKED', new RegExp(`REGULATOR.*${escape(lockReason)}`));
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['LOT_LOCKED']);
      expect((await lotOf(traceCode, lockBody.position)).status).toBe('LOCKED');

      const unlock = await t.http().post(`/api/lots/${traceCode}/unlock`).send({ reason: 'samples negative' });
      expect(unlock.status).toBe(200);
      const unlockBody = unlock.body as LockBody;
      expect(unlockBody.locked).toBe(false);
      expect(await eligibilityOf(traceCode, unlockBody.position)).toMatchObject({ allowed: true, reasons: [] });
      await cleanScan(sell(n, traceCode, 1));
    });

    it('TEMPERATURE_ABUSE: produced by a temperature log beyond the hard limit, cleared by a regulator resolving the abuse', async () => {
      const { n, traceCode } = await lotReadyForSale();
      const start = Date.now() - 4 * 3_600_000;
      // Four hours at 5-minute intervals, the first three at -5 °C: a FROZEN lot held.
      const readings = Array.from({ length: 48 }, (_, i) => ({ at: new Date(start + i * 300_000).toISOString(), celsius: i < 36 ? -5 : -20 }));
      const upload = await t.http().post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'reefer-1', readings });
      expect(upload.status).toBe(201);
      const held = await eligibilityOf(traceCode, upload.body.position);
      expect(codes(held.reasons)).toEqual(['TEMPERATURE_ABUSE']);
      reason(held.reasons, 'TEMPERATURE_ABUSE', /above -12 °C for 180 min/);
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['TEMPERATURE_ABUSE']);

      const abuse = (await lotOf(traceCode, upload.body.position)).violations.find((v) => v.kind === 'TEMPERATURE_ABUSE')!;
      const resolved = await t.http().post(`/api/lots/${traceCode}/violations/${abuse.id}/resolve`).send({ reason: 'core temperature -19 °C, no thawing' });
      expect(resolved.status).toBe(200);
      expect(await eligibilityOf(traceCode, resolved.body.position)).toMatchObject({ allowed: true, reasons: [] });
      await cleanScan(sell(n, traceCode, 1));
    });

    it('LOT_RECALLED: produced by a regulator recall, naming the recall and its origin lot, reaching every descendant; permanent', async () => {
      const { n, traceCode } = await lotReadyForSale();

      // Part of the lot is split off on the shelf first: a child lot with the same papers and custody, allowed for sale.
      const child = `${traceCode}-A`;
      const splitRes = await t.http().post(`/api/lots/${traceCode}/splits`).send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: child, quantity: 30 }] });
      expect({ status: splitRes.status, body: splitRes.body as unknown }).toMatchObject({ status: 201 });
      const split = splitRes.body as SplitBody;
      expect(split).toMatchObject({ traceCode, remaining: 70, children: [{ traceCode: child, quantity: 30, version: 1 }] });
      expect(await eligibilityOf(child, split.position)).toMatchObject({ allowed: true, reasons: [] });

      const recallId = `RECALL-${uid()}`;
      const recallReason = `imported batch linked to an outbreak ${uid()}`;
      const recall = await regulator<RecallBody>(traceCode, 'recall', { reason: recallReason, recallId }, 201);
      expect(recall).toMatchObject({ traceCode, recallId, lotsAffected: 2 });

      // Both the recalled lot and its descendant are blocked by exactly this recall, which names its origin.
      for (const lot of [traceCode, child]) {
        const blocked = await eligibilityOf(lot, recall.position);
        expect(codes(blocked.reasons)).toEqual(['LOT_RECALLED']);
        const r = reason(blocked.reasons, 'LOT_RECALLED', new RegExp(`${escape(recallId)}.*REGULATOR.*lot ${escape(traceCode)}.*${escape(recallReason)}`));
        expect(r.message).toContain(recallId);
        expect(r.message).toContain(traceCode);
        expect((await lotOf(lot, recall.position)).status).toBe('RECALLED');
        const refused = await refusedScan(sell(n, lot, 1), 422, 'SALE_BLOCKED');
        expect(codes(refused.details?.reasons ?? [])).toEqual(['LOT_RECALLED']);
        const history = await historyOf(lot, recall.position);
        const last = history.events[history.events.length - 1];
        expect(last.type).toBe('LotRecalled');
        expect(last.data).toMatchObject({ recallId, origin: traceCode, reason: recallReason, source: 'REGULATOR', holderFacilityId: n.store });
      }
      const view = await recallOf(recallId, recall.position);
      expect(view).toMatchObject({ recallId, origin: traceCode, reason: recallReason, source: 'REGULATOR' });
      expect(view.lots.map((l) => l.traceCode).sort()).toEqual([traceCode, child].sort());
      expect(view.lots.every((l) => l.holderWhenRecalled === n.store && l.status === 'RECALLED')).toBe(true);

      // A recall is not a lock: unlock does not apply, and a lock placed and lifted leaves the recall in place.
      await refusedRegulator(traceCode, 'unlock', 409, 'LOT_NOT_LOCKED');
      await regulator<LockBody>(traceCode, 'lock', { reason: 'hold while we investigate' }, 200);
      const unlocked = await regulator<LockBody>(traceCode, 'unlock', { reason: 'investigation closed' }, 200);
      expect(unlocked.locked).toBe(false);
      // Fresh papers do not lift it either.
      const retest = await attach(traceCode, 'NUCLEIC_ACID_TEST', { result: 'NEGATIVE', issuedAt: minutesAgo(1) });
      for (const lot of [traceCode, child]) {
        expect(codes((await eligibilityOf(lot, Math.max(unlocked.position, retest.position))).reasons)).toEqual(['LOT_RECALLED']);
        const refused = await refusedScan(sell(n, lot, 1), 422, 'SALE_BLOCKED');
        expect(codes(refused.details?.reasons ?? [])).toEqual(['LOT_RECALLED']);
      }
      expect((await lotOf(traceCode, retest.position)).quantity).toMatchObject({ remaining: 70 });
    });

    it('LOT_DESTROYED: produced by destroying the lot; permanent, and every scan is then refused 422 LOT_DESTROYED', async () => {
      const { n, traceCode } = await lotReadyForSale();

      const destroyReason = `incinerated under supervision ${uid()}`;
      const destroyed = await regulator<CommandBody>(traceCode, 'destroy', { reason: destroyReason }, 200);
      expect(destroyed.traceCode).toBe(traceCode);
      expect(destroyed.events.map((e) => e.type)).toEqual(['LotDestroyed']);

      const blocked = await eligibilityOf(traceCode, destroyed.position);
      expect(codes(blocked.reasons)).toEqual(['LOT_DESTROYED']);
      reason(blocked.reasons, 'LOT_DESTROYED', new RegExp(`destroyed.*${escape(destroyReason)}`));
      expect(await lotOf(traceCode, destroyed.position)).toMatchObject({ status: 'DESTROYED', version: destroyed.version });
      const history = await historyOf(traceCode, destroyed.position);
      const last = history.events[history.events.length - 1];
      expect(last.type).toBe('LotDestroyed');
      expect(last.data).toMatchObject({ reason: destroyReason, holderFacilityId: n.store });

      // Nothing happens to a destroyed lot any more: no sale, no scan of any kind, no split.
      const refusedSale = await refusedScan(sell(n, traceCode, 1), 422, 'LOT_DESTROYED');
      expect(refusedSale.message).toContain(destroyReason);
      await refusedScan({ traceCode, facilityId: n.store, action: 'STORE', zoneId: n.zones.storeSales }, 422, 'LOT_DESTROYED');
      await refusedScan({ traceCode, facilityId: n.store, action: 'SAMPLE' }, 422, 'LOT_DESTROYED');
      await refusedScan({ traceCode, facilityId: n.store, action: 'DISPATCH', toFacilityId: n.market, vehicle: disinfected() }, 422, 'LOT_DESTROYED');
      const split = await t.http().post(`/api/lots/${traceCode}/splits`).send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: `${traceCode}-A`, quantity: 1 }] });
      expect({ status: split.status, code: (split.body as ErrorBody).code }).toEqual({ status: 422, code: 'LOT_DESTROYED' });

      // Permanent: it cannot be destroyed again, and there is no lock to lift.
      await refusedRegulator(traceCode, 'destroy', 409, 'LOT_ALREADY_DESTROYED');
      await refusedRegulator(traceCode, 'unlock', 409, 'LOT_NOT_LOCKED');
      expect((await t.store.readStream(`lot-${traceCode}`)).version).toBe(destroyed.version);
      const still = await eligibilityOf(traceCode, destroyed.position);
      expect(codes(still.reasons)).toEqual(['LOT_DESTROYED']);
      expect(await lotOf(traceCode, destroyed.position)).toMatchObject({ status: 'DESTROYED', version: destroyed.version, quantity: { remaining: 100 } });
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
      await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, vehicle: disinfected() });

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

      await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: disinfected('TRUCK-2') });
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
      await cleanScan({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.store, vehicle: disinfected() });
      const atStore = await scanOk(t, { traceCode, facilityId: n.store, action: 'RECEIVE', zoneId: n.zones.storeSales });
      expect(atStore.violations.map((v) => v.kind)).toEqual(['CENTRAL_WAREHOUSE_BYPASSED']);
      const refused = await refusedScan(sell(n, traceCode, 1), 422, 'SALE_BLOCKED');
      expect(codes(refused.details?.reasons ?? [])).toEqual(['CENTRAL_WAREHOUSE_NOT_PASSED']);

      await cleanScan({ traceCode, facilityId: n.store, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() });
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
      const dispatched = await cleanScan({ traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, vehicle: disinfected() });
      expect(dispatched.events.map((e) => e.type)).toEqual(['LotDispatched']);
      expect(dispatched.flags).toEqual([]);
      expect((await lotOf(traceCode, dispatched.position)).status).toBe('IN_TRANSIT');
    });
  });

  it('every one of the 15 reason codes was produced by the API above', () => {
    expect([...ALL_CODES].sort()).toEqual([...REASON_CODES].sort());
    expect([...produced].sort()).toEqual([...ALL_CODES].sort());
  });
});
