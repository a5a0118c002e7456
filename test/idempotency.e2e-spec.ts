import { createTestApp, TestApp } from './support/test-app';
import {
  minutesAgo,
  Network,
  registerLot,
  registerNetwork,
  scanBody,
  ScanInput,
  uid,
  walkToStore,
} from './support/fixtures';

/**
 * Retries are safe: a scanner that sends the same scan again (same scanId,
 * same body) gets the first answer back and nothing is recorded twice; a
 * document uploaded twice is on file once. Real app, real PostgreSQL.
 */

type ScanRequest = ReturnType<typeof scanBody>;

interface ScanBody {
  scanId: string;
  action: string;
  traceCode: string;
  version: number;
  position: number;
  events: { type: string; version: number }[];
  violations: { kind: string; message: string }[];
  flags: { flag: string; message: string }[];
}

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

interface Answer<B> {
  status: number;
  body: B;
}

interface DocumentRequest {
  type: 'CUSTOMS_DECLARATION' | 'INSPECTION_QUARANTINE' | 'NUCLEIC_ACID_TEST' | 'DISINFECTION';
  number: string;
  issuer: string;
  issuedAt: string;
  validUntil?: string;
  result?: 'NEGATIVE' | 'POSITIVE';
}

interface DocumentBody {
  traceCode: string;
  version: number;
  position: number;
  events: { type: string; version: number }[];
  locked: boolean;
  recallId?: string;
  lotsRecalled?: number;
}

interface HistoryView {
  traceCode: string;
  events: { version: number; position: number; type: string; scanId: string | null }[];
}

interface LotView {
  version: number;
  status: string;
  quantity: { initial: number; remaining: number; unit: string } | null;
  documents: { type: string; number: string }[];
  violations: { kind: string }[];
}

describe('idempotent scans and document uploads (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sends exactly this body (same scanId, same occurredAt) to POST /api/scans. */
  const send = async <B = ScanBody>(body: object): Promise<Answer<B>> => {
    const res = await t.http().post('/api/scans').send(body);
    return { status: res.status, body: res.body as B };
  };

  /** A scan that must be accepted. */
  const accepted = async (body: ScanRequest): Promise<ScanBody> => {
    const a = await send(body);
    if (a.status !== 201) throw new Error(`scan ${body.action} failed: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };

  /** What the event log holds: its head and this lot's stream version. */
  const recorded = async (traceCode: string): Promise<{ head: number; version: number }> => ({
    head: await t.store.headPosition(),
    version: (await t.store.readStream(`lot-${traceCode}`)).version,
  });

  const lotOf = async (traceCode: string, atLeast: number): Promise<LotView> => {
    const res = await t.http().get(`/api/lots/${traceCode}?atLeast=${atLeast}`);
    expect(res.status).toBe(200);
    return res.body as LotView;
  };

  const attachRaw = async <B = DocumentBody>(traceCode: string, doc: DocumentRequest): Promise<Answer<B>> => {
    const res = await t.http().post(`/api/lots/${traceCode}/documents`).send(doc);
    return { status: res.status, body: res.body as B };
  };

  const newLot = async (): Promise<{ n: Network; traceCode: string; position: number }> => {
    const n = await registerNetwork(t);
    const { traceCode, position } = await registerLot(t, n, undefined, 100, 'KG');
    return { n, traceCode, position };
  };

  /** A vehicle with its terminal disinfection on record: dispatching with it raises no compliance flag. */
  const disinfected = (plate = 'TRUCK-1') => ({ plate, disinfectedAt: minutesAgo(30) });

  const sell = (n: Network, traceCode: string, quantity: number): ScanInput => ({
    traceCode,
    facilityId: n.store,
    action: 'SELL',
    zoneId: n.zones.storeSales,
    quantity,
  });

  describe('scan replay', () => {
    it('the same scan sent again returns exactly the first answer and records nothing', async () => {
      const { n, traceCode } = await newLot();
      const dispatch = scanBody({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() });

      const first = await send(dispatch);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ scanId: dispatch.scanId, action: 'DISPATCH', traceCode, violations: [], flags: [] });
      expect(first.body.events.map((e) => e.type)).toEqual(['LotDispatched']);
      const before = await recorded(traceCode);
      expect(before.version).toBe(first.body.version);

      const again = await send(dispatch);
      expect(again).toEqual(first);
      const third = await send(dispatch);
      expect(third).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);

      // The replayed dispatch did not move the lot on either.
      const lot = await lotOf(traceCode, first.body.position);
      expect(lot).toMatchObject({ version: first.body.version, status: 'IN_TRANSIT' });
    });

    it('a replayed scan that revealed a violation and raised a flag answers with the same ones and does not record them twice', async () => {
      const { n, traceCode } = await newLot();
      await accepted(scanBody({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() }));
      // The wrong place, and into its storage zone rather than through a dedicated intake.
      const wrongPlace = scanBody({ traceCode, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage });

      const first = await send(wrongPlace);
      expect(first.status).toBe(201);
      expect(first.body.violations.map((v) => v.kind).sort()).toEqual(['CENTRAL_WAREHOUSE_BYPASSED', 'RECEIPT_WITHOUT_DISPATCH']);
      expect(first.body.flags.map((f) => f.flag)).toEqual(['RECEIPT_OUTSIDE_DEDICATED_INTAKE']);
      expect(first.body.events.map((e) => e.type).sort()).toEqual(
        ['ComplianceFlagRaised', 'LotReceived', 'TraceViolationRecorded', 'TraceViolationRecorded'].sort(),
      );
      const before = await recorded(traceCode);

      const again = await send(wrongPlace);
      expect(again).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);
      const lot = await lotOf(traceCode, first.body.position);
      expect(lot.violations).toHaveLength(2);
      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${first.body.position}`).expect(200);
      const fromThisScan = (history.body as HistoryView).events.filter((e) => e.scanId === wrongPlace.scanId);
      expect(fromThisScan.map((e) => e.type).sort()).toEqual(first.body.events.map((e) => e.type).sort());
    });

    it('a SELL retried after the lot has since been sold out still gets its original 201, not a 422', async () => {
      const { n, traceCode } = await newLot();
      await walkToStore(t, n, traceCode);

      const firstSale = scanBody(sell(n, traceCode, 40));
      const first = await send(firstSale);
      expect(first.status).toBe(201);
      expect(first.body.events.map((e) => e.type)).toEqual(['LotSold']);

      const rest = await accepted(scanBody(sell(n, traceCode, 60)));
      const soldOut = await lotOf(traceCode, rest.position);
      expect(soldOut).toMatchObject({ status: 'SOLD_OUT', quantity: { remaining: 0 } });
      // A genuinely new sale is refused now...
      const fresh = await send<ErrorBody>(scanBody(sell(n, traceCode, 40)));
      expect(fresh.status).toBe(422);
      expect(fresh.body.code).toBe('SALE_BLOCKED');
      const before = await recorded(traceCode);

      // ...but the retry of the first one is not a new sale: it gets the original answer.
      const retry = await send(firstSale);
      expect(retry).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);
      const after = await lotOf(traceCode, rest.position);
      expect(after).toMatchObject({ version: before.version, quantity: { remaining: 0 } });
    });

    it('the same scanId with a different body is refused 409 IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
      const { n, traceCode } = await newLot();
      const other = await newLot();
      const original = scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE', temperatureC: -18 });
      const first = await send(original);
      expect(first.status).toBe(201);
      const before = await recorded(traceCode);
      const otherBefore = await recorded(other.traceCode);

      const variants: object[] = [
        { ...original, temperatureC: -17.5 },
        { ...original, action: 'DISINFECT' },
        { ...original, occurredAt: minutesAgo(2) },
        { ...original, vehicle: { plate: 'TRUCK-9' } },
        // The same scanId on another lot is a different request too.
        { ...original, traceCode: other.traceCode, facilityId: other.n.port },
      ];
      for (const variant of variants) {
        const reused = await send<ErrorBody>(variant);
        expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
        expect(reused.body.message.length).toBeGreaterThan(0);
      }

      expect(await recorded(traceCode)).toEqual(before);
      expect(await recorded(other.traceCode)).toEqual(otherBefore);
      // The original is still replayable after the refusals.
      expect(await send(original)).toEqual(first);
    });

    it('the same body with its fields in another order is the same request: a replay, not a reuse', async () => {
      const { n, traceCode } = await newLot();
      const original = scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE', vehicle: { plate: 'TRUCK-3', disinfectedAt: minutesAgo(30) } });
      const first = await send(original);
      expect(first.status).toBe(201);
      const before = await recorded(traceCode);

      const reordered = Object.fromEntries(Object.entries({ ...original, vehicle: { disinfectedAt: original.vehicle?.disinfectedAt, plate: 'TRUCK-3' } }).reverse());
      expect(await send(reordered)).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);
    });

    it('10 identical scans sent concurrently record exactly one event and all get the same answer', async () => {
      const { n, traceCode } = await newLot();
      const sample = scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE', temperatureC: -20 });
      const before = await recorded(traceCode);

      const answers = await Promise.all(Array.from({ length: 10 }, () => send(sample)));

      expect(answers[0].status).toBe(201);
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(answers[0].body.events).toEqual([{ type: 'LotSampled', version: before.version + 1 }]);
      const after = await recorded(traceCode);
      expect(after.version).toBe(before.version + 1);
      expect(after.head).toBe(before.head + 1);
      expect(after.head).toBe(answers[0].body.position);

      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${answers[0].body.position}`).expect(200);
      const sampled = (history.body as HistoryView).events.filter((e) => e.scanId === sample.scanId);
      expect(sampled.map((e) => e.type)).toEqual(['LotSampled']);
    });

    it('10 identical SELLs sent concurrently sell once', async () => {
      const { n, traceCode } = await newLot();
      await walkToStore(t, n, traceCode);
      const sale = scanBody(sell(n, traceCode, 30));
      const before = await recorded(traceCode);

      const answers = await Promise.all(Array.from({ length: 10 }, () => send(sale)));

      expect(answers[0].status).toBe(201);
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(await recorded(traceCode)).toEqual({ head: before.head + 1, version: before.version + 1 });
      const lot = await lotOf(traceCode, answers[0].body.position);
      expect(lot.quantity).toMatchObject({ remaining: 70 });
    });
  });

  describe('document re-upload', () => {
    it('re-attaching the identical document answers 200 and records nothing; the first attach answered 201', async () => {
      const { traceCode } = await newLot();
      const doc: DocumentRequest = {
        type: 'INSPECTION_QUARANTINE',
        number: `IQ-${uid()}`,
        issuer: 'Customs',
        issuedAt: minutesAgo(120),
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      };

      const first = await attachRaw(traceCode, doc);
      expect(first.status).toBe(201);
      expect(first.body.events.map((e) => e.type)).toEqual(['DocumentAttached']);
      const before = await recorded(traceCode);

      const again = await attachRaw(traceCode, doc);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ traceCode, version: first.body.version, position: first.body.position, events: [], locked: false });
      expect(await recorded(traceCode)).toEqual(before);

      // The same instant written another way is still the same document.
      const sameInstant = new Date(doc.issuedAt).toISOString().replace('Z', '+00:00');
      const respelled = await attachRaw(traceCode, { ...doc, issuedAt: sameInstant });
      expect(respelled.status).toBe(200);
      expect(respelled.body.events).toEqual([]);
      expect(await recorded(traceCode)).toEqual(before);

      const lot = await lotOf(traceCode, first.body.position);
      expect(lot.documents.filter((d) => d.number === doc.number)).toHaveLength(1);

      // Same number, different content: a conflict, not a silent overwrite.
      const changed = await attachRaw<ErrorBody>(traceCode, { ...doc, issuer: 'Somebody else' });
      expect({ status: changed.status, code: changed.body.code }).toEqual({ status: 409, code: 'DOCUMENT_CONFLICT' });
      expect(await recorded(traceCode)).toEqual(before);
    });

    it('re-attaching a positive test neither locks nor recalls the lot a second time', async () => {
      const { traceCode } = await newLot();
      const positive: DocumentRequest = { type: 'NUCLEIC_ACID_TEST', number: `PCR-${uid()}`, issuer: 'Lab', issuedAt: minutesAgo(60), result: 'POSITIVE' };
      const first = await attachRaw(traceCode, positive);
      expect(first.status).toBe(201);
      expect(first.body.events.map((e) => e.type)).toEqual(['DocumentAttached', 'LotLocked', 'LotRecalled']);
      expect(first.body).toMatchObject({ locked: true, recallId: expect.any(String), lotsRecalled: 1 });
      const before = await recorded(traceCode);

      const again = await attachRaw(traceCode, positive);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ events: [], locked: true, version: first.body.version });
      // No second recall was started.
      expect(again.body.recallId).toBeUndefined();
      expect(await recorded(traceCode)).toEqual(before);
      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${first.body.position}`).expect(200);
      expect((history.body as HistoryView).events.filter((e) => e.type === 'LotRecalled')).toHaveLength(1);
    });
  });

  describe('split, merge and recall replay', () => {
    /** Sends exactly this body to a POST endpoint. */
    const postRaw = async <B>(path: string, body: object): Promise<Answer<B>> => {
      const res = await t.http().post(path).send(body);
      return { status: res.status, body: res.body as B };
    };

    it('the same split sent again returns the first answer and records nothing', async () => {
      const { traceCode } = await newLot();
      const split = { splitId: `SPLIT-${uid()}`, children: [{ traceCode: `${traceCode}-A`, quantity: 25 }, { traceCode: `${traceCode}-B`, quantity: 15 }] };
      const first = await postRaw<{ remaining: number; position: number }>(`/api/lots/${traceCode}/splits`, split);
      expect(first).toMatchObject({ status: 201, body: { remaining: 60 } });
      const before = await recorded(traceCode);
      const children = await Promise.all(split.children.map((c) => recorded(c.traceCode)));
      expect(children.map((c) => c.version)).toEqual([1, 1]);

      expect(await postRaw(`/api/lots/${traceCode}/splits`, split)).toEqual(first);
      const concurrent = await Promise.all([postRaw(`/api/lots/${traceCode}/splits`, split), postRaw(`/api/lots/${traceCode}/splits`, split)]);
      for (const c of concurrent) expect(c).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);
      for (const [i, c] of split.children.entries()) expect(await recorded(c.traceCode)).toEqual(children[i]);
      expect((await lotOf(traceCode, first.body.position)).quantity).toMatchObject({ remaining: 60 });
    });

    it('the same merge sent again returns the first answer and records nothing', async () => {
      const a = await newLot();
      const b = await registerLot(t, a.n, undefined, 100, 'KG');
      const into = `MERGED-${uid()}`;
      const merge = { mergeId: `MERGE-${uid()}`, traceCode: into, facilityId: a.n.port, parents: [{ traceCode: a.traceCode, quantity: 10 }, { traceCode: b.traceCode, quantity: 5 }] };
      const first = await postRaw<{ quantity: number; position: number }>('/api/lots/merges', merge);
      expect(first).toMatchObject({ status: 201, body: { traceCode: into, quantity: 15 } });
      const before = await Promise.all([a.traceCode, b.traceCode, into].map(recorded));

      expect(await postRaw('/api/lots/merges', merge)).toEqual(first);
      expect(await Promise.all([a.traceCode, b.traceCode, into].map(recorded))).toEqual(before);
      expect((await lotOf(a.traceCode, first.body.position)).quantity).toMatchObject({ remaining: 90 });
      expect((await lotOf(into, first.body.position)).quantity).toMatchObject({ initial: 15, remaining: 15 });
    });

    it('a recall sent again with the same recallId returns the first answer and records nothing; another body is refused', async () => {
      const { traceCode } = await newLot();
      const recall = { recallId: `RECALL-${uid()}`, reason: 'supplier recall' };
      const first = await postRaw<{ recallId: string; position: number }>(`/api/lots/${traceCode}/recall`, recall);
      expect(first).toMatchObject({ status: 201, body: { traceCode, recallId: recall.recallId, lotsAffected: 1 } });
      const before = await recorded(traceCode);

      expect(await postRaw(`/api/lots/${traceCode}/recall`, recall)).toEqual(first);
      expect(await recorded(traceCode)).toEqual(before);
      const reused = await postRaw<ErrorBody>(`/api/lots/${traceCode}/recall`, { ...recall, reason: 'another reason' });
      expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await recorded(traceCode)).toEqual(before);
      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${first.body.position}`).expect(200);
      expect((history.body as HistoryView).events.filter((e) => e.type === 'LotRecalled')).toHaveLength(1);
    });
  });

  describe('lot history', () => {
    it('lists every scan id once, however often each scan was sent', async () => {
      const { n, traceCode } = await newLot();
      const scans: ScanRequest[] = [
        scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE' }),
        scanBody({ traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: disinfected() }),
        scanBody({ traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake }),
        scanBody({ traceCode, facilityId: n.warehouse, action: 'DISINFECT' }),
        scanBody({ traceCode, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage }),
      ];
      let last = 0;
      for (const s of scans) {
        const first = await accepted(s);
        expect(first.violations).toEqual([]);
        expect(first.flags).toEqual([]);
        last = first.position;
        // Every scan is retried, once in sequence and twice at the same time.
        expect(await send(s)).toEqual({ status: 201, body: first });
        const retries = await Promise.all([send(s), send(s)]);
        for (const r of retries) expect(r).toEqual({ status: 201, body: first });
      }
      // A retry of an early scan after later ones changes nothing either.
      await send(scans[0]);
      expect(await t.store.headPosition()).toBe(last);

      const res = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last}`);
      expect(res.status).toBe(200);
      const history = res.body as HistoryView;
      const scanIds = history.events.flatMap((e) => (e.scanId === null ? [] : [e.scanId]));
      expect(scanIds).toEqual(scans.map((s) => s.scanId));
      expect(new Set(scanIds).size).toBe(scanIds.length);
      expect(history.events.map((e) => e.type)).toEqual([
        'LotRegistered',
        'LotSampled',
        'LotDispatched',
        'LotReceived',
        'LotDisinfected',
        'LotStored',
      ]);
      expect(history.events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await t.store.readStream(`lot-${traceCode}`)).version).toBe(6);
    });
  });
});
