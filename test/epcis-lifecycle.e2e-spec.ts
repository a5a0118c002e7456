import { randomUUID } from 'node:crypto';
import { CredentialStore } from '../apps/api/src/access/credential-store';
import { CaptureRecorder } from '../apps/api/src/epcis/capture/capture-recorder';
import { documentUrn, facilityUrn, locationUrn, lotClassUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { DISINFECTING_BIZ_STEP } from '../apps/api/src/epcis/epcis-mapping';
import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, minutesAgo, Network, registerLot, registerNetwork, uid } from './support/fixtures';

/**
 * EPCIS capture of a lot's whole life: registered by its commissioning
 * event, papered by an inspector's certifications, shipped, received,
 * split by a TransformationEvent and sold, each event as the JSON route
 * that does the same (same role, checks, rules). The same journey sent
 * through the JSON API must leave the lots exactly alike. Then the two
 * capture behaviours: proceed (each event on its own) and rollback (one
 * refused event records nothing at all).
 */

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { coldtrace: 'urn:coldtrace:epcis:' }];
const PAPERS = ['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION'] as const;

type Action = 'DISPATCH' | 'RECEIVE' | 'STORE' | 'DISINFECT' | 'SAMPLE' | 'SELL';
const BIZ_STEP: Record<Action, string> = {
  DISPATCH: 'shipping',
  RECEIVE: 'receiving',
  STORE: 'storing',
  DISINFECT: DISINFECTING_BIZ_STEP,
  SAMPLE: 'sampling',
  SELL: 'retail_selling',
};

/** A step of the journey, said once, sent as a JSON request or an EPCIS event. */
type Step =
  | { readonly kind: 'scan'; readonly lot: string; readonly action: Action; readonly facilityId: string; readonly zoneId?: string; readonly toFacilityId?: string; readonly quantity?: number; readonly occurredAt: string; readonly stocking?: true; readonly vehicle?: { plate: string } }
  | { readonly kind: 'split'; readonly lot: string; readonly facilityId: string; readonly children: readonly { suffix: string; quantity: number }[]; readonly occurredAt: string };

interface Job {
  captureID: string;
  success: boolean;
  position: number;
  errors: { eventID: string | null; code: string; message: string }[];
}

const documentOf = (eventList: unknown[]) => ({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList } });
const eventId = () => `urn:uuid:${randomUUID()}`;

describe('EPCIS capture of the whole lifecycle (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  let operator: string;

  /** A capture with GS1-Capture-Error-Behaviour `proceed` unless told (the journey's first document has events its key may not send, refused alone). */
  const capture = async (token: string, events: unknown[], behaviour: 'proceed' | 'rollback' = 'proceed'): Promise<Job> => {
    const res = await t.as(token).post('/api/epcis/capture').set('GS1-Capture-Error-Behaviour', behaviour).send(documentOf(events));
    if (res.status !== 202) throw new Error(`capture: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Job;
  };

  beforeAll(async () => {
    t = await createTestApp();
    n = await registerNetwork(t);
    operator = (await t.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'importer system')).token;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the acceptance journey', () => {
    const entered = minutesAgo(600);
    const issued = minutesAgo(500);

    /** Shipped to and received at the central warehouse: the part before the papers. */
    const arrival = (lot: string): Step[] => [
      { kind: 'scan', lot, action: 'DISPATCH', facilityId: n.port, toFacilityId: n.warehouse, occurredAt: minutesAgo(300), vehicle: { plate: 'TRUCK-1' } },
      { kind: 'scan', lot, action: 'RECEIVE', facilityId: n.warehouse, zoneId: n.zones.warehouseIntake, occurredAt: minutesAgo(290) },
    ];
    /** Disinfected, stored, split in two, the first child on to the store and a sale of 2.5 KG of it. */
    const onward = (lot: string): Step[] => [
      { kind: 'scan', lot, action: 'DISINFECT', facilityId: n.warehouse, occurredAt: minutesAgo(280) },
      { kind: 'scan', lot, action: 'STORE', facilityId: n.warehouse, zoneId: n.zones.warehouseStorage, occurredAt: minutesAgo(270) },
      { kind: 'split', lot, facilityId: n.warehouse, children: [{ suffix: '-A', quantity: 60 }, { suffix: '-B', quantity: 40 }], occurredAt: minutesAgo(260) },
      { kind: 'scan', lot: `${lot}-A`, action: 'DISPATCH', facilityId: n.warehouse, toFacilityId: n.market, occurredAt: minutesAgo(200) },
      { kind: 'scan', lot: `${lot}-A`, action: 'RECEIVE', facilityId: n.market, zoneId: n.zones.marketStorage, occurredAt: minutesAgo(190) },
      { kind: 'scan', lot: `${lot}-A`, action: 'DISPATCH', facilityId: n.market, toFacilityId: n.store, occurredAt: minutesAgo(150) },
      { kind: 'scan', lot: `${lot}-A`, action: 'RECEIVE', facilityId: n.store, zoneId: n.zones.storeGeneral, occurredAt: minutesAgo(140) },
      { kind: 'scan', lot: `${lot}-A`, action: 'STORE', facilityId: n.store, zoneId: n.zones.storeSales, stocking: true, occurredAt: minutesAgo(130) },
      { kind: 'scan', lot: `${lot}-A`, action: 'SELL', facilityId: n.store, zoneId: n.zones.storeSales, quantity: 2.5, occurredAt: minutesAgo(60) },
    ];

    const asEvent = (s: Step): Record<string, unknown> => {
      const common = { eventID: eventId(), eventTime: s.occurredAt, eventTimeZoneOffset: '+08:00' };
      if (s.kind === 'split') {
        return {
          type: 'TransformationEvent',
          ...common,
          inputQuantityList: [{ epcClass: lotClassUrn(s.lot), quantity: s.children.reduce((a, c) => a + c.quantity, 0), uom: 'KGM' }],
          outputQuantityList: s.children.map((c) => ({ epcClass: lotClassUrn(`${s.lot}${c.suffix}`), quantity: c.quantity, uom: 'KGM' })),
          bizStep: 'repackaging',
          bizLocation: { id: facilityUrn(s.facilityId) },
        };
      }
      return {
        type: 'ObjectEvent',
        ...common,
        action: 'OBSERVE',
        bizStep: s.stocking ? 'stocking' : BIZ_STEP[s.action],
        quantityList: [{ epcClass: lotClassUrn(s.lot), ...(s.quantity === undefined ? {} : { quantity: s.quantity, uom: 'KGM' }) }],
        readPoint: { id: locationUrn(s.facilityId, s.zoneId ?? null) },
        ...(s.toFacilityId ? { destinationList: [{ type: 'location', destination: facilityUrn(s.toFacilityId) }] } : {}),
        ...(s.vehicle ? { 'coldtrace:vehicle': s.vehicle } : {}),
      };
    };

    const sendJson = async (s: Step): Promise<number> => {
      const res =
        s.kind === 'split'
          ? await t.as(operator).post(`/api/lots/${s.lot}/splits`).send({ splitId: `split-${uid()}`, occurredAt: s.occurredAt, children: s.children.map((c) => ({ traceCode: `${s.lot}${c.suffix}`, quantity: c.quantity })) })
          : await t.as(operator).post('/api/scans').send({ scanId: `S-${uid()}`, traceCode: s.lot, action: s.action, facilityId: s.facilityId, occurredAt: s.occurredAt, ...(s.zoneId ? { zoneId: s.zoneId } : {}), ...(s.toFacilityId ? { toFacilityId: s.toFacilityId } : {}), ...(s.quantity === undefined ? {} : { quantity: s.quantity }), ...(s.vehicle ? { vehicle: s.vehicle } : {}) });
      expect({ step: s, status: res.status }).toEqual({ step: s, status: 201 });
      return res.body.position as number;
    };

    const registration = (lot: string) => ({
      traceCode: lot,
      product: { name: 'Frozen beef', category: 'FROZEN' },
      originCountry: 'BR',
      importer: 'Harbour Foods Ltd',
      quantity: { amount: 100, unit: 'KG' },
      portOfEntryId: n.port,
      enteredAt: entered,
    });
    const paper = (lot: string, type: (typeof PAPERS)[number]) => ({
      type,
      number: `${lot}/${type}`,
      issuer: 'Shanghai CIQ',
      issuedAt: issued,
      ...(type === 'NUCLEIC_ACID_TEST' ? { result: 'NEGATIVE' } : {}),
    });

    /** What a lot is at the end, its trace codes written with `prefix` as `LOT`: status, quantity, genealogy, papers, holder, eligibility, history types. */
    const endOf = async (lot: string, prefix: string, position: number) => {
      const regulator = t.as(t.tokens.regulator);
      const view = (await regulator.get(`/api/lots/${lot}?atLeast=${position}`).expect(200)).body;
      const eligibility = (await regulator.get(`/api/lots/${lot}/sale-eligibility?atLeast=${position}`).expect(200)).body;
      const history = (await regulator.get(`/api/lots/${lot}/history?atLeast=${position}`).expect(200)).body;
      const trace = (await regulator.get(`/api/lots/${lot}/trace?direction=backward&atLeast=${position}`).expect(200)).body;
      const end = {
        status: view.status,
        quantity: view.quantity,
        parents: view.parents,
        children: view.children,
        holder: view.holder?.facilityId ?? null,
        documents: (view.documents as { type: string; number: string; result: string | null }[]).map((d) => [d.type, d.number, d.result]),
        violations: view.violations,
        allowed: eligibility.allowed,
        reasons: (eligibility.reasons as { code: string }[]).map((r) => r.code),
        history: (history.events as { type: string }[]).map((e) => e.type),
        genealogy: (trace.links as { parent: string; child: string; kind: string; quantity: number }[]).map(({ parent, child, kind, quantity }) => ({ parent, child, kind, quantity })),
      };
      return JSON.parse(JSON.stringify(end).split(prefix).join('LOT')) as typeof end;
    };

    it('registered, papered, shipped, split and sold by EPCIS events ends exactly as the same journey through the JSON API', async () => {
      // Through the JSON API.
      const json = `J${uid()}`;
      await t.as(operator).post('/api/lots').send(registration(json)).expect(201);
      for (const s of arrival(json)) await sendJson(s);
      for (const type of PAPERS) await t.as(t.tokens.inspector).post(`/api/lots/${json}/documents`).send(paper(json, type)).expect(201);
      let jsonAt = 0;
      for (const s of onward(json)) jsonAt = await sendJson(s);

      // By EPCIS capture: the importer's system sends the commissioning and the arrival (its certifications are not its to send: refused alone) ...
      const epcis = `E${uid()}`;
      const certifications = PAPERS.map((type) => {
        const p = paper(epcis, type);
        return {
          type: 'ObjectEvent',
          eventID: eventId(),
          eventTime: issued,
          eventTimeZoneOffset: '+08:00',
          action: 'OBSERVE',
          bizStep: 'inspecting',
          ...(type === 'NUCLEIC_ACID_TEST' ? { disposition: 'conformant' } : {}),
          quantityList: [{ epcClass: lotClassUrn(epcis) }],
          certificationInfo: documentUrn(p.type, p.number),
          'coldtrace:document': { issuer: p.issuer, issuedAt: p.issuedAt },
        };
      });
      const r = registration(epcis);
      const commissioning = {
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: entered,
        eventTimeZoneOffset: '+08:00',
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        quantityList: [{ epcClass: lotClassUrn(epcis), quantity: 100, uom: 'KGM' }],
        readPoint: { id: facilityUrn(n.port) },
        bizLocation: { id: facilityUrn(n.port) },
        ilmd: { 'cbvmda:countryOfOrigin': r.originCountry, 'coldtrace:productName': r.product.name, 'coldtrace:productCategory': r.product.category, 'coldtrace:importer': r.importer },
      };
      const arrivalEvents = arrival(epcis).map(asEvent);
      // Under rollback (the route's default) the refused certifications keep the whole document out ...
      const rolledBack = await capture(operator, [commissioning, ...certifications, ...arrivalEvents], 'rollback');
      expect(rolledBack.errors.map((e) => [e.eventID, e.code])).toEqual(certifications.map((c) => [c.eventID, 'FORBIDDEN']));
      await t.as(operator).get(`/api/lots/${epcis}`).expect(404);
      // ... under proceed the rest is recorded.
      const first = await capture(operator, [commissioning, ...certifications, ...arrivalEvents]);
      expect(first.errors.map((e) => [e.eventID, e.code])).toEqual(certifications.map((c) => [c.eventID, 'FORBIDDEN']));
      expect(first.errors[0].message).toMatch(/OPERATOR key may not attach a document .* needs INSPECTOR/);

      // ... the inspector's system the four certifications (a second document) ...
      const papered = await capture(t.tokens.inspector, certifications);
      expect(papered).toMatchObject({ success: true, errors: [] });
      // ... and the importer's system the rest of the journey.
      const onwardEvents = onward(epcis).map(asEvent);
      const rest = await capture(operator, onwardEvents);
      expect(rest).toMatchObject({ success: true, errors: [] });

      for (const lot of ['', '-A', '-B']) {
        const viaJson = await endOf(`${json}${lot}`, json, jsonAt);
        const viaEpcis = await endOf(`${epcis}${lot}`, epcis, rest.position);
        expect({ lot, ...viaEpcis }).toEqual({ lot, ...viaJson });
      }
      const sold = await endOf(`${epcis}-A`, epcis, rest.position);
      expect(sold).toMatchObject({ quantity: { initial: 60, remaining: 57.5, unit: 'KG' }, history: expect.arrayContaining(['LotDerived', 'LotSold']) });
      expect((await endOf(`${epcis}-B`, epcis, rest.position)).quantity).toMatchObject({ initial: 40, remaining: 40 });

      // Sent again by the same keys: nothing new (every event idempotent by its eventID).
      const events = Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM events`))[0].n);
      expect(await capture(t.tokens.inspector, certifications)).toMatchObject({ success: true, errors: [] });
      expect(await capture(operator, [commissioning, ...arrivalEvents, ...onwardEvents])).toMatchObject({ success: true, errors: [] });
      expect(Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM events`))[0].n)).toBe(events);
    });

    it("a regulator's holding and destroying events recall, lock and destroy; an operator's are refused alone (FORBIDDEN)", async () => {
      const [a, b] = [await registerLot(t, n), await registerLot(t, n)];
      const hold = (traceCode: string, set: string) => ({
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: minutesAgo(5),
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        bizStep: 'holding',
        disposition: set,
        persistentDisposition: { set: [set] },
        quantityList: [{ epcClass: lotClassUrn(traceCode) }],
        'coldtrace:reason': 'Positive test upstream',
      });
      const destroy = { ...hold(b.traceCode, 'destroyed'), action: 'DELETE', bizStep: 'destroying', persistentDisposition: undefined };
      const events = [hold(a.traceCode, 'non_sellable_other'), hold(b.traceCode, 'recalled'), destroy];
      const byOperator = await capture(operator, events);
      expect(byOperator.errors.map((e) => e.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      const job = await capture(t.tokens.regulator, events);
      expect(job).toMatchObject({ success: true, errors: [] });
      const status = async (lot: string) => (await t.as(t.tokens.regulator).get(`/api/lots/${lot}?atLeast=${job.position}`).expect(200)).body.status;
      expect([await status(a.traceCode), await status(b.traceCode)]).toEqual(['LOCKED', 'DESTROYED']);
      const recalls = (await t.as(t.tokens.regulator).get(`/api/lots/${b.traceCode}?atLeast=${job.position}`).expect(200)).body.recalls;
      expect(recalls).toHaveLength(1);
    });
  });

  /**
   * Rollback is asked for by GS1-Capture-Error-Behaviour, which another
   * change adds to the route: here CaptureRecorder, which records a
   * document's events for the route, is called directly with each behaviour.
   */
  describe('capture behaviour (CaptureRecorder)', () => {
    const contextOf = async (token: string) => ({ principal: (await t.app.get(CredentialStore).resolve(token))!, correlationId: `test-${uid()}` });
    const eventCount = async (): Promise<number> => Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM events`))[0].n);

    /** 100 events on a lot held at the port: 99 samples and, 50th, a sale the domain refuses (not a store). */
    const hundred = (traceCode: string) => {
      const events = Array.from({ length: 100 }, (_, i) => ({
        type: 'ObjectEvent',
        eventID: eventId(),
        eventTime: minutesAgo(200 - i),
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        bizStep: i === 49 ? 'retail_selling' : 'sampling',
        quantityList: [{ epcClass: lotClassUrn(traceCode), ...(i === 49 ? { quantity: 1, uom: 'KGM' } : {}) }],
        readPoint: { id: facilityUrn(n.port) },
      }));
      return { events, bad: events[49].eventID };
    };

    it('rollback: a 100-event document with one refused event records nothing and lists the refused one; proceed records the other 99', async () => {
      const { traceCode } = await registerLot(t, n);
      await attachAllPapers(t, traceCode);
      const recorder = t.app.get(CaptureRecorder);
      const ctx = await contextOf(operator);
      const { events, bad } = hundred(traceCode);

      const before = await eventCount();
      const rolledBack = await recorder.record(events, ctx, 'rollback');
      expect(rolledBack.errors.map((e) => [e.eventID, e.code])).toEqual([[bad, 'SALE_BLOCKED']]);
      expect(rolledBack.position).toBe(0);
      expect(await eventCount()).toBe(before);

      const proceeded = await recorder.record(events, ctx, 'proceed');
      expect(proceeded.errors.map((e) => [e.eventID, e.code])).toEqual([[bad, 'SALE_BLOCKED']]);
      const history = (await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}/history?atLeast=${proceeded.position}&limit=200`).expect(200)).body.events as { type: string }[];
      expect(history.filter((e) => e.type === 'LotSampled')).toHaveLength(99);

      // The 99 are recorded now: the same document rolled back again still lists only the bad one, and records nothing.
      const after = await eventCount();
      expect((await recorder.record(events, ctx, 'rollback')).errors.map((e) => e.eventID)).toEqual([bad]);
      expect(await eventCount()).toBe(after);
    });

    it('rollback: an event refused before the domain (not mapped, FORBIDDEN) records nothing either; a document all good records all of it', async () => {
      const { traceCode } = await registerLot(t, n);
      const recorder = t.app.get(CaptureRecorder);
      const ctx = await contextOf(operator);
      const { events } = hundred(traceCode);
      const samples = events.filter((e) => e.bizStep === 'sampling').slice(0, 10);
      const unmapped = { ...samples[0], eventID: eventId(), bizStep: 'packing' };
      const before = await eventCount();
      const refused = await recorder.record([...samples, unmapped], ctx, 'rollback');
      expect(refused.errors.map((e) => [e.eventID, e.code])).toEqual([[unmapped.eventID, 'EPCIS_NOT_MAPPED']]);
      expect(await eventCount()).toBe(before);

      const recorded = await recorder.record(samples, ctx, 'rollback');
      expect(recorded.errors).toEqual([]);
      expect(recorded.position).toBeGreaterThan(0);
      expect(await eventCount()).toBe(before + 10);
    });
  });
});
