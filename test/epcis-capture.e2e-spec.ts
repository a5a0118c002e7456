import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { facilityUrn, locationUrn, lotClassUrn, UNIT_TO_UOM } from '../apps/api/src/epcis/epcis-identifiers';
import { DISINFECTING_BIZ_STEP } from '../apps/api/src/epcis/epcis-mapping';
import { itNeeding } from './support/needs';
import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, minutesAgo, Network, registerLot, registerNetwork, uid } from './support/fixtures';

/**
 * EPCIS capture as a warehouse system would use it: a document of
 * ObjectEvents recorded as scans, judged exactly as scans sent to
 * POST /api/scans are (same rules, same facility scope), each event on its
 * own, replays recording nothing; a document GS1's schema refuses records
 * nothing at all.
 */

const GS1_EXAMPLES = join(__dirname, '../../shared/epcis');
const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { coldtrace: 'urn:coldtrace:epcis:' }];

type Action = 'DISPATCH' | 'RECEIVE' | 'STORE' | 'DISINFECT' | 'SAMPLE' | 'SELL';

/** One step of a journey, said once and sent either as a scan or as an EPCIS ObjectEvent. */
interface Step {
  readonly action: Action;
  readonly facilityId: string;
  readonly zoneId?: string;
  readonly toFacilityId?: string;
  readonly quantity?: number;
  readonly temperatureC?: number;
  readonly occurredAt: string;
  /** STORE into a dedicated sales zone is CBV's stocking. */
  readonly stocking?: true;
  readonly vehicle?: { readonly plate: string; readonly disinfectedAt?: string };
}

const BIZ_STEP: Record<Action, string> = {
  DISPATCH: 'shipping',
  RECEIVE: 'receiving',
  STORE: 'storing',
  DISINFECT: DISINFECTING_BIZ_STEP,
  SAMPLE: 'sampling',
  SELL: 'retail_selling',
};

const asScan = (traceCode: string, s: Step, scanId: string) => {
  const { stocking: _stocking, ...fields } = s;
  return { scanId, traceCode, ...fields };
};

const asEvent = (traceCode: string, s: Step, eventID = `urn:uuid:${crypto.randomUUID()}`): Record<string, unknown> => ({
  type: 'ObjectEvent',
  eventID,
  eventTime: s.occurredAt,
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: s.stocking ? 'stocking' : BIZ_STEP[s.action],
  quantityList: [{ epcClass: lotClassUrn(traceCode), ...(s.quantity === undefined ? {} : { quantity: s.quantity, uom: UNIT_TO_UOM.KG }) }],
  readPoint: { id: locationUrn(s.facilityId, s.zoneId ?? null) },
  ...(s.toFacilityId ? { destinationList: [{ type: 'location', destination: facilityUrn(s.toFacilityId) }] } : { bizLocation: { id: facilityUrn(s.facilityId) } }),
  ...(s.temperatureC === undefined ? {} : { sensorElementList: [{ sensorReport: [{ type: 'gs1:Temperature', value: s.temperatureC, uom: 'CEL' }] }] }),
});

const documentOf = (eventList: unknown[]) => ({
  '@context': CONTEXT,
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: new Date().toISOString(),
  epcisBody: { eventList },
});

/** Port -> central warehouse -> wholesale market -> retail store's sales zone, then a sale of 2.5 KG (the README's walk-through, minus the papers). */
const journey = (n: Network): Step[] => [
  { action: 'DISPATCH', facilityId: n.port, toFacilityId: n.warehouse, temperatureC: -19, occurredAt: minutesAgo(300) },
  { action: 'RECEIVE', facilityId: n.warehouse, zoneId: n.zones.warehouseIntake, temperatureC: -18.5, occurredAt: minutesAgo(290) },
  { action: 'SAMPLE', facilityId: n.warehouse, occurredAt: minutesAgo(285) },
  { action: 'DISINFECT', facilityId: n.warehouse, occurredAt: minutesAgo(280) },
  { action: 'STORE', facilityId: n.warehouse, zoneId: n.zones.warehouseStorage, occurredAt: minutesAgo(270) },
  { action: 'DISPATCH', facilityId: n.warehouse, toFacilityId: n.market, occurredAt: minutesAgo(200) },
  { action: 'RECEIVE', facilityId: n.market, zoneId: n.zones.marketStorage, occurredAt: minutesAgo(190) },
  { action: 'DISPATCH', facilityId: n.market, toFacilityId: n.store, occurredAt: minutesAgo(150) },
  { action: 'RECEIVE', facilityId: n.store, zoneId: n.zones.storeGeneral, occurredAt: minutesAgo(140) },
  { action: 'STORE', facilityId: n.store, zoneId: n.zones.storeSales, stocking: true, occurredAt: minutesAgo(130) },
  { action: 'SELL', facilityId: n.store, zoneId: n.zones.storeSales, quantity: 2.5, occurredAt: minutesAgo(60) },
];

interface Job {
  captureID: string;
  running: boolean;
  success: boolean;
  position: number;
  eventCount: number;
  errors: { eventID: string | null; code: string; message: string; details?: Record<string, unknown> }[];
}

const SCAN_EVENTS = ['LotDispatched', 'LotReceived', 'LotStored', 'LotSampled', 'LotDisinfected', 'LotSold'];

/** A lot's history as the regulator reads it: every event type, and each scan's event as recorded, but for its scan id. */
const historyOf = async (app: TestApp, traceCode: string, position: number) => {
  const res = await app.as(app.tokens.regulator).get(`/api/lots/${traceCode}/history?atLeast=${position}`).expect(200);
  const events = res.body.events as { type: string; facilityId: string | null; occurredAt: string; data: Record<string, unknown> }[];
  return {
    types: events.map((e) => e.type),
    scans: events
      .filter((e) => SCAN_EVENTS.includes(e.type))
      .map(({ type, facilityId, occurredAt, data: { scanId: _scanId, ...data } }) => ({ type, facilityId, occurredAt, data })),
  };
};

describe('EPCIS capture (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  /** An operator of all four facilities of the network. */
  let operator: string;

  const count = async (table: 'events' | 'epcis_capture_jobs'): Promise<number> =>
    Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

  // proceed: these tests show how each event is judged (rollback, the default, is test/epcis-capture-jobs.e2e-spec.ts's).
  const capture = async (token: string, body: unknown, contentType = 'application/json') => {
    const res = await t.as(token).post('/api/epcis/capture').set('content-type', contentType).set('gs1-capture-error-behaviour', 'proceed').send(JSON.stringify(body));
    return res;
  };

  const captured = async (token: string, body: unknown): Promise<Job> => {
    const res = await capture(token, body);
    if (res.status !== 202) throw new Error(`capture answered ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.headers.location).toBe(`/api/epcis/capture/${res.body.captureID}`);
    return res.body as Job;
  };

  const lotAsSeen = async (traceCode: string, position: number) => {
    const reader = t.as(t.tokens.regulator);
    const [eligibility, history, lot] = await Promise.all([
      reader.get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`).expect(200),
      reader.get(`/api/lots/${traceCode}/history?atLeast=${position}`).expect(200),
      reader.get(`/api/lots/${traceCode}?atLeast=${position}`).expect(200),
    ]);
    return {
      allowed: eligibility.body.allowed as boolean,
      reasons: (eligibility.body.reasons as { code: string }[]).map((r) => r.code),
      types: (history.body.events as { type: string }[]).map((e) => e.type),
      scans: (history.body.events as { scanId: string | null; facilityId: string | null; occurredAt: string }[])
        .filter((e) => e.scanId !== null)
        .map((e) => [e.facilityId, e.occurredAt]),
      quantity: lot.body.quantity,
      holder: lot.body.holder,
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
    operator = (await t.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'warehouse system')).token;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('a journey captured as EPCIS leaves the lot exactly as the same journey sent as scans', async () => {
    const [byScans, byEpcis] = [(await registerLot(t, n, `SCANNED-${uid()}`, 100)).traceCode, (await registerLot(t, n, `CAPTURED-${uid()}`, 100)).traceCode];
    await attachAllPapers(t, byScans);
    await attachAllPapers(t, byEpcis);
    const steps = journey(n);

    let scanned = 0;
    for (const [i, step] of steps.entries()) {
      const res = await t.as(operator).post('/api/scans').send(asScan(byScans, step, `S-${uid()}-${i}`));
      expect({ i, status: res.status, body: res.body }).toMatchObject({ i, status: 201 });
      scanned = res.body.position;
    }

    const before = await count('events');
    const job = await captured(operator, documentOf(steps.map((s) => asEvent(byEpcis, s))));
    expect(job).toMatchObject({ running: false, success: true, eventCount: steps.length, errors: [] });
    expect((await count('events')) - before).toBeGreaterThanOrEqual(steps.length);

    const [asScanned, asCaptured] = [await lotAsSeen(byScans, scanned), await lotAsSeen(byEpcis, job.position)];
    expect(asCaptured.types).toEqual(asScanned.types);
    expect(asCaptured.types[asCaptured.types.length - 1]).toBe('LotSold');
    expect({ allowed: asCaptured.allowed, reasons: asCaptured.reasons }).toEqual({ allowed: asScanned.allowed, reasons: asScanned.reasons });
    expect(asCaptured.allowed).toBe(true);
    expect(asCaptured.quantity).toEqual({ initial: 100, remaining: 97.5, unit: 'KG' });
    expect(asCaptured.quantity).toEqual(asScanned.quantity);
    expect(asCaptured.holder).toEqual(asScanned.holder);
    expect(asCaptured.scans).toEqual(asScanned.scans);

    // The job reads back, from the key that captured, as it was answered.
    const again = await t.as(operator).get(`/api/epcis/capture/${job.captureID}`).expect(200);
    expect(again.body).toEqual(job);
  });

  it('replaying a document records nothing new and reports no error', async () => {
    const { traceCode } = await registerLot(t, n, `REPLAY-${uid()}`);
    await attachAllPapers(t, traceCode);
    const document = documentOf(journey(n).map((s) => asEvent(traceCode, s)));
    const first = await captured(operator, document);
    expect(first.errors).toEqual([]);

    const before = { events: await count('events'), jobs: await count('epcis_capture_jobs') };
    const replay = await captured(operator, document);
    expect(replay).toMatchObject({ success: true, errors: [], position: first.position });
    expect(replay.captureID).not.toBe(first.captureID);
    expect({ events: await count('events'), jobs: await count('epcis_capture_jobs') }).toEqual({ events: before.events, jobs: before.jobs + 1 });
  });

  it('a document with bad events records the good ones and reports each bad one with its code', async () => {
    const { traceCode } = await registerLot(t, n, `MIXED-${uid()}`);
    await attachAllPapers(t, traceCode);
    const [toWarehouse, receive] = journey(n);
    const sample = { action: 'SAMPLE' as const, facilityId: n.warehouse, occurredAt: minutesAgo(250) };
    // A sale at the central warehouse: the domain refuses it, as it would a scanner's.
    const saleAtWarehouse = { action: 'SELL' as const, facilityId: n.warehouse, zoneId: n.zones.warehouseStorage, quantity: 1, occurredAt: minutesAgo(245) };
    const events = [
      asEvent(traceCode, toWarehouse),
      asEvent(traceCode, receive),
      asEvent(traceCode, saleAtWarehouse, 'urn:uuid:00000000-0000-4000-8000-00000000a001'),
      { ...asEvent(traceCode, sample), bizStep: 'inspecting', eventID: 'urn:uuid:00000000-0000-4000-8000-00000000a002' },
      asEvent(traceCode, sample),
    ];
    const before = await count('events');
    const job = await captured(operator, documentOf(events));
    expect(job.success).toBe(false);
    expect(job.errors.map((e) => [e.eventID, e.code])).toEqual([
      ['urn:uuid:00000000-0000-4000-8000-00000000a001', 'SALE_BLOCKED'],
      ['urn:uuid:00000000-0000-4000-8000-00000000a002', 'EPCIS_NOT_MAPPED'],
    ]);
    expect(job.errors[0].details?.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'NOT_AT_RETAIL_STORE' })]));
    expect((await count('events')) - before).toBeGreaterThanOrEqual(3);
    const seen = await lotAsSeen(traceCode, job.position);
    expect(seen.types.filter((type) => !['DocumentAttached', 'ComplianceFlagRaised'].includes(type))).toEqual(['LotRegistered', 'LotDispatched', 'LotReceived', 'LotSampled']);
  });

  it("an operator's document: events at another facility are refused on their own (FORBIDDEN), the others recorded", async () => {
    const { traceCode } = await registerLot(t, n, `SCOPE-${uid()}`);
    const portOnly = (await t.issueKey('OPERATOR', [n.port], 'port system')).token;
    const atPort = asEvent(traceCode, { action: 'SAMPLE', facilityId: n.port, occurredAt: minutesAgo(100) });
    const atWarehouse = asEvent(traceCode, { action: 'SAMPLE', facilityId: n.warehouse, occurredAt: minutesAgo(90) });
    const job = await captured(portOnly, documentOf([atPort, atWarehouse]));
    expect(job.errors.map((e) => [e.eventID, e.code])).toEqual([[atWarehouse.eventID, 'FORBIDDEN']]);
    const seen = await lotAsSeen(traceCode, job.position);
    expect(seen.types).toEqual(['LotRegistered', 'LotSampled']);

    // Its job is its own: another key, even one of every facility, finds none.
    const mine = await t.as(portOnly).get(`/api/epcis/capture/${job.captureID}`).expect(200);
    expect(mine.body.captureID).toBe(job.captureID);
    for (const [id, token] of [
      [job.captureID, operator],
      ['not-a-capture', portOnly],
      ['00000000-0000-4000-8000-000000000000', portOnly],
    ]) {
      const res = await t.as(token).get(`/api/epcis/capture/${id}`);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 404, code: 'CAPTURE_JOB_NOT_FOUND' });
    }
  });

  it('a document the GS1 schema refuses: 400 EPCIS_INVALID naming each fault by JSON Pointer, nothing recorded', async () => {
    const { traceCode } = await registerLot(t, n, `INVALID-${uid()}`);
    const good = asEvent(traceCode, { action: 'SAMPLE', facilityId: n.port, occurredAt: minutesAgo(100) });
    const { eventTimeZoneOffset: _offset, ...noOffset } = asEvent(traceCode, { action: 'SAMPLE', facilityId: n.port, occurredAt: minutesAgo(90) });
    const badAction = { ...good, eventID: 'urn:uuid:00000000-0000-4000-8000-00000000b001', action: 'LOOK' };
    const before = { events: await count('events'), jobs: await count('epcis_capture_jobs') };
    for (const [document, pointers] of [
      [documentOf([good, noOffset, badAction]), ['/epcisBody/eventList/1', '/epcisBody/eventList/2/action']],
      [{ ...documentOf([good]), creationDate: 'today' }, ['/creationDate']],
      [{ ...documentOf([good]), '@context': undefined }, ['']],
      // Typed a query document, it is judged as one (and has no queryResults).
      [{ ...documentOf([good]), type: 'EPCISQueryDocument' }, ['/epcisBody']],
      // A lone event the schema accepts (it judges events too), but not a document.
      [{ '@context': CONTEXT, ...good }, ['/type']],
    ] as const) {
      const res = await capture(operator, document);
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'EPCIS_INVALID' });
      const faults = res.body.details.errors as { pointer: string; message: string }[];
      expect(faults.map((f) => f.pointer)).toEqual(expect.arrayContaining([...pointers]));
      for (const f of faults) expect(typeof f.message).toBe('string');
    }
    expect({ events: await count('events'), jobs: await count('epcis_capture_jobs') }).toEqual(before);
  });

  itNeeding('epcis', __filename)("GS1's own example documents pass the capture's validator; their events are not Coldtrace's, so nothing is recorded", async () => {
    const before = await count('events');
    for (const file of ['Example_9.6.1-ObjectEvent.jsonld', 'Example_9.6.4-TransformationEvent.jsonld', 'PersistentDisposition-example.jsonld']) {
      const document = JSON.parse(readFileSync(join(GS1_EXAMPLES, file), 'utf8'));
      const res = await capture(operator, document, 'application/ld+json');
      expect({ file, status: res.status }).toEqual({ file, status: 202 });
      expect(res.body.eventCount).toBe(document.epcisBody.eventList.length);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toEqual(document.epcisBody.eventList.map(() => 'EPCIS_NOT_MAPPED'));
    }
    expect(await count('events')).toBe(before);
  });

  it('round trip: the export of a journey, captured on a fresh database with the same facilities and lots, reproduces the same scans', async () => {
    const traceCode = `ROUND-${uid()}`;
    const lot = {
      traceCode,
      product: { name: '冷冻牛腩 Frozen beef brisket', category: 'FROZEN' },
      originCountry: 'BR',
      importer: 'Acme Imports Ltd',
      quantity: { amount: 1200, unit: 'KG' },
      portOfEntryId: n.port,
      enteredAt: minutesAgo(600),
    };
    await t.as(operator).post('/api/lots').send(lot).expect(201);
    await attachAllPapers(t, traceCode);
    let position = 0;
    for (const [i, step] of journey(n).entries()) {
      const vehicle = step.action === 'DISPATCH' ? { vehicle: { plate: `沪A-${i}2345`, disinfectedAt: minutesAgo(400) } } : {};
      const res = await t.as(operator).post('/api/scans').send({ ...asScan(traceCode, step, `RT-${uid()}-${i}`), ...vehicle });
      expect({ i, status: res.status }).toEqual({ i, status: 201 });
      position = res.body.position;
    }
    const source = await historyOf(t, traceCode, position);

    // The export, every page of it (the Link header names the next).
    const exported: unknown[] = [];
    for (let path: string | null = `/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClassUrn(traceCode))}&perPage=5`; path !== null; ) {
      const res = await t.as(t.tokens.regulator).get(path).expect(200);
      expect(res.body.type).toBe('EPCISQueryDocument');
      exported.push(...res.body.epcisBody.queryResults.resultsBody.eventList);
      const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.link ?? '');
      path = next ? `${new URL(next[1]).pathname}${new URL(next[1]).search}` : null;
    }

    const fresh = await createTestApp();
    try {
      const admin = fresh.as(fresh.tokens.admin);
      for (const id of [n.port, n.warehouse, n.market, n.store]) {
        const f = (await t.as(t.tokens.admin).get(`/api/facilities/${id}`).expect(200)).body;
        await admin.post('/api/facilities').send({ id: f.id, name: f.name, type: f.type, zones: f.zones }).expect(201);
      }
      const system = (await fresh.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'warehouse system')).token;
      await fresh.as(system).post('/api/lots').send(lot).expect(201);
      await attachAllPapers(fresh, traceCode);

      // A query document is not a capture document: its events go in an EPCISDocument.
      const asQueryDocument = await fresh.as(system).post('/api/epcis/capture').send({ ...documentOf(exported), type: 'EPCISQueryDocument' });
      expect(asQueryDocument.body.code).toBe('EPCIS_INVALID');
      const res = await fresh.as(system).post('/api/epcis/capture').set('content-type', 'application/ld+json').set('gs1-capture-error-behaviour', 'proceed').send(JSON.stringify(documentOf(exported)));
      expect(res.status).toBe(202);
      const job = res.body as Job;
      // The registration (commissioning) was made above (LOT_EXISTS); the papers (inspecting) are an inspector's to send, not this operator's (FORBIDDEN).
      const notScans = (exported as { eventID: string; bizStep: string }[]).filter((e) => ['commissioning', 'inspecting'].includes(e.bizStep));
      expect(notScans).toHaveLength(5);
      expect(job.errors.map((e) => [e.eventID, e.code])).toEqual(notScans.map((e) => [e.eventID, e.bizStep === 'commissioning' ? 'LOT_EXISTS' : 'FORBIDDEN']));

      const target = await historyOf(fresh, traceCode, job.position);
      expect(target.types).toEqual(source.types);
      expect(target.scans).toEqual(source.scans);
      expect(target.scans).toHaveLength(journey(n).length);
      // Captured again (by the same key), the export records nothing.
      const before = Number((await fresh.dataSource.query(`SELECT count(*)::int AS n FROM events`))[0].n);
      expect((await fresh.as(system).post('/api/epcis/capture').send(documentOf(exported))).status).toBe(202);
      expect(Number((await fresh.dataSource.query(`SELECT count(*)::int AS n FROM events`))[0].n)).toBe(before);
    } finally {
      await fresh.close();
    }
  });

  it('takes JSON and JSON-LD, nothing else; at most 10 MB', async () => {
    const document = documentOf([]);
    expect((await capture(operator, document, 'application/ld+json; charset=utf-8')).status).toBe(202);
    const text = await capture(operator, document, 'text/plain');
    expect({ status: text.status, code: text.body.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    // JSON-LD stays the capture route's: other routes take JSON only.
    const scan = await t.as(operator).post('/api/scans').set('content-type', 'application/ld+json').send('{}');
    expect({ status: scan.status, code: scan.body.code }).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    const large = documentOf([{ padding: 'x'.repeat(10 * 1024 * 1024) }]);
    const tooLarge = await capture(operator, large);
    expect({ status: tooLarge.status, code: tooLarge.body.code }).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    const roomy = await capture(operator, documentOf([{ type: 'ObjectEvent', padding: 'x'.repeat(300 * 1024) }]));
    expect({ status: roomy.status, code: roomy.body.code }).toEqual({ status: 400, code: 'EPCIS_INVALID' });
  });
});
