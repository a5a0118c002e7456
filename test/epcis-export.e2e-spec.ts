import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { Client, createTestApp, TestApp } from './support/test-app';

/**
 * GET /api/epcis/events: the README walk-through's lot, then a split, a
 * recall and a destroy, exported as EPCIS 2.0 through the API, every page a
 * whole EPCISQueryDocument GS1's own JSON Schema accepts.
 */

const repoRoot = resolve(__dirname, '..');
/** GS1's schema as shipped beside the repo; else the byte-identical copy the capture endpoint validates with. */
const SCHEMA_PATH = [resolve(repoRoot, '../shared/epcis/EPCIS-JSON-Schema.json'), resolve(repoRoot, 'apps/api/src/epcis/capture/schema/EPCIS-JSON-Schema.json')].find((p) =>
  existsSync(p),
);
const SCHEMA_NAME = SCHEMA_PATH ? relative(repoRoot, SCHEMA_PATH) : 'no schema found';

const LOT = 'BEEF-2026-0001';
const CHILD_A = 'BEEF-2026-0001-A';
const CHILD_B = 'BEEF-2026-0001-B';
const FAR = 'SHRIMP-2026-0042';
const cls = (traceCode: string) => `urn:coldtrace:lot:${traceCode}`;

interface EpcisEvent {
  type: string;
  eventID: string;
  eventTime: string;
  eventTimeZoneOffset: string;
  recordTime: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: { set?: string[]; unset?: string[] };
  bizLocation?: { id: string };
  readPoint?: { id: string };
  quantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  inputQuantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  outputQuantityList?: { epcClass: string; quantity?: number; uom?: string }[];
  transformationID?: string;
  sensorElementList?: unknown[];
  [key: string]: unknown;
}

interface QueryDocument {
  '@context': unknown;
  type: string;
  schemaVersion: string;
  creationDate: string;
  epcisBody: { queryResults: { queryName: string; resultsBody: { eventList: EpcisEvent[] } } };
}

const classesOf = (e: EpcisEvent): string[] => [...(e.quantityList ?? []), ...(e.inputQuantityList ?? []), ...(e.outputQuantityList ?? [])].map((q) => q.epcClass);

/** `Link: <url>; rel="next"` as a path the test client can request, or null. */
const nextLink = (res: Response): string | null => {
  const link = res.headers['link'] as string | undefined;
  if (!link) return null;
  const m = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!m) throw new Error(`not a Link header: ${link}`);
  const url = new URL(m[1]);
  return `${url.pathname}${url.search}`;
};

describe(`EPCIS export (e2e, real PostgreSQL; documents validated by ajv against ${SCHEMA_NAME})`, () => {
  let t: TestApp;
  let validate: ValidateFunction;
  let regulator: Client;
  let storeOperator: Client;
  let farOperator: Client;
  let position = 0;

  /** Every page of a query, following the Link header; each page's whole document must pass GS1's schema. */
  const exportAll = async (c: Client, query: string): Promise<{ events: EpcisEvent[]; pages: number }> => {
    let path: string | null = `/api/epcis/events${query}`;
    const events: EpcisEvent[] = [];
    let pages = 0;
    while (path !== null) {
      const res = await c.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/ld\+json/);
      expectValid(res.body);
      events.push(...(res.body as QueryDocument).epcisBody.queryResults.resultsBody.eventList);
      pages += 1;
      if (pages > 100) throw new Error('the pages never end');
      path = nextLink(res);
    }
    return { events, pages };
  };

  const expectValid = (document: unknown): void => {
    const valid = validate(document);
    expect({ valid, errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
  };

  beforeAll(async () => {
    if (!SCHEMA_PATH) throw new Error('GS1 EPCIS JSON Schema not found: ../shared/epcis/EPCIS-JSON-Schema.json nor the vendored copy');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

    t = await createTestApp();
    regulator = t.as(t.tokens.regulator);
    const http = t.http();
    const ok = async (res: Promise<Response> | Response, status: number): Promise<Response> => {
      const r = await res;
      if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
      if (typeof r.body?.position === 'number') position = Math.max(position, r.body.position as number);
      return r;
    };

    // The README walk-through, as written there.
    for (const f of [
      { id: 'PORT-SH', name: 'Shanghai Yangshan port', type: 'PORT_OF_ENTRY', zones: [] },
      { id: 'CW-01', name: 'Central warehouse No. 1', type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'IN-1', kind: 'DEDICATED_INTAKE' }, { id: 'COLD-1', kind: 'DEDICATED_STORAGE' }] },
      { id: 'WM-01', name: 'Jiangqiao wholesale market', type: 'WHOLESALE_MARKET', zones: [{ id: 'IN-2', kind: 'DEDICATED_INTAKE' }, { id: 'COLD-2', kind: 'DEDICATED_STORAGE' }] },
      {
        id: 'RS-01',
        name: 'Corner supermarket',
        type: 'RETAIL_STORE',
        zones: [{ id: 'IN-3', kind: 'DEDICATED_INTAKE' }, { id: 'SALES-1', kind: 'DEDICATED_SALES' }, { id: 'BACK-1', kind: 'GENERAL' }],
      },
      { id: 'PORT-NB', name: 'Ningbo port', type: 'PORT_OF_ENTRY', zones: [] },
    ]) {
      await ok(http.post('/api/facilities').send(f), 201);
    }
    await ok(
      http.post('/api/lots').send({
        traceCode: LOT,
        product: { name: 'Frozen beef brisket', category: 'FROZEN' },
        originCountry: 'BR',
        importer: 'Acme Imports Ltd',
        quantity: { amount: 1200, unit: 'KG' },
        portOfEntryId: 'PORT-SH',
        enteredAt: '2026-11-20T08:00:00Z',
      }),
      201,
    );
    for (const d of [
      { type: 'CUSTOMS_DECLARATION', number: 'CD-2026-778', issuer: 'Shanghai Customs', issuedAt: '2026-11-20T09:00:00Z' },
      { type: 'INSPECTION_QUARANTINE', number: 'IQ-2026-551', issuer: 'Shanghai Customs', issuedAt: '2026-11-20T10:00:00Z' },
      { type: 'NUCLEIC_ACID_TEST', number: 'NAT-2026-0912', issuer: 'Pudong CDC lab', issuedAt: '2026-11-21T08:00:00Z', result: 'NEGATIVE' },
      { type: 'DISINFECTION', number: 'DIS-2026-3301', issuer: 'CW-01 disinfection team', issuedAt: '2026-11-21T09:00:00Z' },
    ]) {
      await ok(http.post(`/api/lots/${LOT}/documents`).send(d), 201);
    }
    const scans = [
      { scanId: 'S-001', facilityId: 'PORT-SH', action: 'DISPATCH', toFacilityId: 'CW-01', occurredAt: '2026-11-21T06:00:00Z', vehicle: { plate: '沪A-12345', disinfectedAt: '2026-11-21T05:30:00Z' }, temperatureC: -19 },
      { scanId: 'S-002', facilityId: 'CW-01', action: 'RECEIVE', zoneId: 'IN-1', occurredAt: '2026-11-21T07:10:00Z', temperatureC: -18.5 },
      { scanId: 'S-003', facilityId: 'CW-01', action: 'SAMPLE', occurredAt: '2026-11-21T07:30:00Z' },
      { scanId: 'S-004', facilityId: 'CW-01', action: 'DISINFECT', occurredAt: '2026-11-21T08:30:00Z' },
      { scanId: 'S-005', facilityId: 'CW-01', action: 'STORE', zoneId: 'COLD-1', occurredAt: '2026-11-21T09:30:00Z' },
      { scanId: 'S-006', facilityId: 'CW-01', action: 'DISPATCH', toFacilityId: 'WM-01', occurredAt: '2026-11-22T05:00:00Z', vehicle: { plate: '沪B-67890', disinfectedAt: '2026-11-22T04:30:00Z' } },
      { scanId: 'S-007', facilityId: 'WM-01', action: 'RECEIVE', zoneId: 'IN-2', occurredAt: '2026-11-22T06:00:00Z' },
      { scanId: 'S-008', facilityId: 'WM-01', action: 'DISPATCH', toFacilityId: 'RS-01', occurredAt: '2026-11-23T05:00:00Z', vehicle: { plate: '沪C-24680', disinfectedAt: '2026-11-23T04:40:00Z' } },
      { scanId: 'S-009', facilityId: 'RS-01', action: 'RECEIVE', zoneId: 'IN-3', occurredAt: '2026-11-23T07:00:00Z' },
      { scanId: 'S-010', facilityId: 'RS-01', action: 'STORE', zoneId: 'SALES-1', occurredAt: '2026-11-23T07:30:00Z' },
      { scanId: 'S-011', facilityId: 'RS-01', action: 'SELL', zoneId: 'SALES-1', quantity: 2.5, occurredAt: '2026-11-23T10:00:00Z' },
    ];
    for (const s of scans) await ok(http.post('/api/scans').send({ traceCode: LOT, ...s }), 201);
    // The till retries the sale: recorded once.
    await ok(http.post('/api/scans').send({ traceCode: LOT, ...scans[scans.length - 1] }), 201);

    // Then a split at the store, a recall of the lot (it reaches both children) and the destruction of one child.
    await ok(
      http.post(`/api/lots/${LOT}/splits`).send({
        splitId: 'SPLIT-RS-1',
        children: [
          { traceCode: CHILD_A, quantity: 100 },
          { traceCode: CHILD_B, quantity: 50 },
        ],
        occurredAt: '2026-11-24T08:00:00Z',
      }),
      201,
    );
    await ok(regulator.post(`/api/lots/${LOT}/recall`).send({ reason: 'Listeria on the packaging', recallId: 'RC-2026-7' }), 201);
    await ok(regulator.post(`/api/lots/${CHILD_B}/destroy`).send({ reason: 'incinerated under supervision' }), 200);

    // A lot of another port that never comes near the store.
    await ok(
      http.post('/api/lots').send({
        traceCode: FAR,
        product: { name: 'Frozen shrimp', category: 'FROZEN' },
        originCountry: 'EC',
        importer: 'Pacific Foods',
        quantity: { amount: 40, unit: 'CARTON' },
        portOfEntryId: 'PORT-NB',
        enteredAt: '2026-11-25T08:00:00Z',
      }),
      201,
    );
    storeOperator = t.as((await t.issueKey('OPERATOR', ['RS-01'], 'RS-01 till')).token);
    farOperator = t.as((await t.issueKey('OPERATOR', ['PORT-NB'], 'Ningbo scanner')).token);
    // An operator's scope is read from the lot summaries: let them catch up with everything written.
    await regulator.get(`/api/lots/${FAR}?atLeast=${position}`).expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  it('the journey, a split, a recall and a destroy: every event once, types and steps as mapped, every page valid EPCIS', async () => {
    const { events, pages } = await exportAll(regulator, '?perPage=4');
    expect(pages).toBeGreaterThan(1);
    expect(new Set(events.map((e) => e.eventID)).size).toBe(events.length);
    for (const e of events) {
      expect(e.eventID).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(e.eventTimeZoneOffset).toBe('+08:00');
    }

    const ofLot = (code: string) => events.filter((e) => classesOf(e).includes(cls(code)) && e.type === 'ObjectEvent');
    expect(ofLot(LOT).map((e) => [e.action, e.bizStep, e.disposition ?? null])).toEqual([
      ['ADD', 'commissioning', 'active'],
      ['OBSERVE', 'inspecting', null],
      ['OBSERVE', 'inspecting', null],
      ['OBSERVE', 'inspecting', 'conformant'],
      ['OBSERVE', 'inspecting', null],
      ['OBSERVE', 'shipping', 'in_transit'],
      ['OBSERVE', 'receiving', 'in_progress'],
      ['OBSERVE', 'sampling', null],
      ['OBSERVE', 'urn:coldtrace:bizstep:disinfecting', null],
      ['OBSERVE', 'storing', null],
      ['OBSERVE', 'shipping', 'in_transit'],
      ['OBSERVE', 'receiving', 'in_progress'],
      ['OBSERVE', 'shipping', 'in_transit'],
      ['OBSERVE', 'receiving', 'in_progress'],
      ['OBSERVE', 'stocking', 'sellable_accessible'],
      ['OBSERVE', 'retail_selling', 'retail_sold'],
      ['OBSERVE', 'holding', 'recalled'],
    ]);
    const lot = ofLot(LOT);
    expect(lot[0]).toMatchObject({
      quantityList: [{ epcClass: cls(LOT), quantity: 1200, uom: 'KGM' }],
      bizLocation: { id: 'urn:coldtrace:facility:PORT-SH' },
      eventTime: '2026-11-20T08:00:00.000Z',
      ilmd: { 'cbvmda:countryOfOrigin': 'BR', 'coldtrace:productName': 'Frozen beef brisket', 'coldtrace:importer': 'Acme Imports Ltd' },
    });
    expect(lot[1].certificationInfo).toBe('urn:coldtrace:document:CUSTOMS_DECLARATION:CD-2026-778');
    expect(lot[5]).toMatchObject({
      sourceList: [{ type: 'location', source: 'urn:coldtrace:facility:PORT-SH' }],
      destinationList: [{ type: 'location', destination: 'urn:coldtrace:facility:CW-01' }],
      sensorElementList: [{ sensorReport: [{ type: 'Temperature', value: -19, uom: 'CEL' }] }],
      'coldtrace:scanId': 'S-001',
    });
    expect(lot[6].readPoint).toEqual({ id: 'urn:coldtrace:facility:CW-01:zone:IN-1' });
    expect(lot[15]).toMatchObject({ quantityList: [{ epcClass: cls(LOT), quantity: 2.5, uom: 'KGM' }], bizLocation: { id: 'urn:coldtrace:facility:RS-01:zone:SALES-1' } });
    expect(lot[16]).toMatchObject({ persistentDisposition: { set: ['recalled'] }, 'coldtrace:recallId': 'RC-2026-7' });

    const transformations = events.filter((e) => e.type === 'TransformationEvent');
    expect(transformations).toEqual([
      expect.objectContaining({
        transformationID: 'urn:coldtrace:split:SPLIT-RS-1',
        inputQuantityList: [{ epcClass: cls(LOT), quantity: 150, uom: 'KGM' }],
        outputQuantityList: [
          { epcClass: cls(CHILD_A), quantity: 100, uom: 'KGM' },
          { epcClass: cls(CHILD_B), quantity: 50, uom: 'KGM' },
        ],
        eventTime: '2026-11-24T08:00:00.000Z',
      }),
    ]);
    expect(ofLot(CHILD_A).map((e) => [e.action, e.bizStep, e.disposition])).toEqual([['OBSERVE', 'holding', 'recalled']]);
    expect(ofLot(CHILD_B).map((e) => [e.action, e.bizStep, e.disposition])).toEqual([
      ['OBSERVE', 'holding', 'recalled'],
      ['DELETE', 'destroying', 'destroyed'],
    ]);
    expect(ofLot(FAR).map((e) => [e.action, e.bizStep])).toEqual([['ADD', 'commissioning']]);
    // 17 of the walked lot, the split, 2 + 1 of the children, 1 of the far lot.
    expect(events).toHaveLength(17 + 1 + 3 + 1);

    // The whole export as one document is valid too.
    const one = await regulator.get('/api/epcis/events?perPage=1000').expect(200);
    expectValid(one.body);
    expect(one.headers['link']).toBeUndefined();
    expect(one.body).toMatchObject({
      '@context': ['https://ref.gs1.org/standards/epcis/epcis-context.jsonld', { coldtrace: 'urn:coldtrace:epcis:' }],
      type: 'EPCISQueryDocument',
      schemaVersion: '2.0',
      epcisBody: { queryResults: { queryName: 'SimpleEventQuery' } },
    });
    expect((one.body as QueryDocument).epcisBody.queryResults.resultsBody.eventList.map((e) => e.eventID)).toEqual(events.map((e) => e.eventID));
  });

  it('pages by nextPageToken: every event once, in the same order, whatever the page size; the token is opaque and checked', async () => {
    const all = (await exportAll(regulator, '?perPage=1000')).events.map((e) => e.eventID);
    for (const perPage of [1, 3, 7]) {
      const { events, pages } = await exportAll(regulator, `?perPage=${perPage}`);
      expect(events.map((e) => e.eventID)).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / perPage));
    }
    const first = await regulator.get('/api/epcis/events?perPage=2&eventType=ObjectEvent').expect(200);
    const link = nextLink(first)!;
    // The next page keeps the other parameters.
    expect(new URL(link, 'http://x').searchParams.get('eventType')).toBe('ObjectEvent');
    expect(new URL(link, 'http://x').searchParams.get('perPage')).toBe('2');
    const edited = await regulator.get('/api/epcis/events?nextPageToken=eyJ4IjoiYSJ9').expect(400);
    expect(edited.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'nextPageToken' } });
  });

  it('an operator sees only the events of lots that came near its facilities', async () => {
    const store = (await exportAll(storeOperator, '?perPage=5')).events;
    expect(store.length).toBe(21);
    expect(store.flatMap(classesOf)).not.toContain(cls(FAR));
    const far = (await exportAll(farOperator, '')).events;
    expect(far.map((e) => classesOf(e))).toEqual([[cls(FAR)]]);
    // Asking for another firm's lot by name finds nothing, as an unknown one would.
    const probe = await farOperator.get(`/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(cls(LOT))}`).expect(200);
    expect(probe.body.epcisBody.queryResults.resultsBody.eventList).toEqual([]);
  });

  it('filters: lot class (with the splits and merges naming it), event type, time, business step and location', async () => {
    const q = async (query: string) => (await exportAll(regulator, query)).events;

    const childA = await q(`?MATCH_anyEPCClass=${encodeURIComponent(cls(CHILD_A))}`);
    expect(childA.map((e) => e.bizStep)).toEqual(['repackaging', 'holding']);
    const both = await q(`?MATCH_anyEPCClass=${encodeURIComponent(cls(CHILD_A))}&MATCH_anyEPCClass=${encodeURIComponent(cls(FAR))}`);
    expect(both).toHaveLength(3);
    const commaSeparated = await q(`?MATCH_anyEPCClass=${encodeURIComponent(`${cls(CHILD_A)},${cls(FAR)}`)}`);
    expect(commaSeparated.map((e) => e.eventID)).toEqual(both.map((e) => e.eventID));

    expect((await q('?eventType=TransformationEvent')).map((e) => e.transformationID)).toEqual(['urn:coldtrace:split:SPLIT-RS-1']);
    expect(await q('?eventType=AggregationEvent')).toEqual([]);

    const shipping = await q('?EQ_bizStep=shipping');
    expect(shipping.map((e) => e['coldtrace:scanId'])).toEqual(['S-001', 'S-006', 'S-008']);
    expect((await q('?EQ_bizStep=urn:epcglobal:cbv:bizstep:shipping')).map((e) => e.eventID)).toEqual(shipping.map((e) => e.eventID));
    expect(await q('?EQ_bizStep=urn:coldtrace:bizstep:disinfecting')).toHaveLength(1);

    const day22 = await q(`?GE_eventTime=${encodeURIComponent('2026-11-22T00:00:00Z')}&LT_eventTime=${encodeURIComponent('2026-11-23T00:00:00+00:00')}`);
    expect(day22.map((e) => e.bizStep)).toEqual(['shipping', 'receiving']);
    for (const e of day22) expect(e.eventTime >= '2026-11-22' && e.eventTime < '2026-11-23').toBe(true);

    const salesZone = await q(`?EQ_bizLocation=${encodeURIComponent('urn:coldtrace:facility:RS-01:zone:SALES-1')}`);
    expect(salesZone.map((e) => e.bizStep)).toEqual(['stocking', 'retail_selling']);
    const store = await q(`?WD_bizLocation=${encodeURIComponent('urn:coldtrace:facility:RS-01')}&EQ_bizStep=holding,destroying`);
    expect(store.map((e) => [classesOf(e)[0], e.bizStep]).sort()).toEqual([
      [cls(LOT), 'holding'],
      [cls(CHILD_A), 'holding'],
      [cls(CHILD_B), 'destroying'],
      [cls(CHILD_B), 'holding'],
    ]);
    // A filter that keeps nothing answers an empty, still valid, document.
    const none = await regulator.get(`/api/epcis/events?EQ_bizLocation=${encodeURIComponent('urn:coldtrace:facility:NOWHERE')}`).expect(200);
    expectValid(none.body);
    expect(none.body.epcisBody.queryResults.resultsBody.eventList).toEqual([]);
  });

  it('answers JSON-LD, or plain JSON when asked; GS1 version headers', async () => {
    const ld = await regulator.get('/api/epcis/events?perPage=1').expect(200);
    expect(ld.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(ld.headers['gs1-epcis-version']).toBe('2.0.0');
    const json = await regulator.get('/api/epcis/events?perPage=1').set('accept', 'application/json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.epcisBody.queryResults.resultsBody.eventList).toEqual(ld.body.epcisBody.queryResults.resultsBody.eventList);
  });

  it.each([
    ['perPage=0', 'perPage'],
    ['perPage=1001', 'perPage'],
    ['MATCH_anyEPCClass=urn:epc:class:lgtin:4012345.012345.998877', 'MATCH_anyEPCClass'],
    ['eventType=Shipment', 'eventType'],
    ['GE_eventTime=2026-11', 'GE_eventTime'],
    ['LT_eventTime=2026-11-22T00:00', 'LT_eventTime'],
    ['EQ_bizStep=Shipping!', 'EQ_bizStep'],
    ['EQ_bizLocation=urn:epc:id:sgln:0614141.07346.1234', 'EQ_bizLocation'],
    ['nextPageToken=not a token', 'nextPageToken'],
    ['limit=5', 'limit'],
  ])('?%s: 400 VALIDATION_FAILED naming %s', async (query, field) => {
    const res = await regulator.get(`/api/epcis/events?${query.replace(/ /g, '%20')}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.body.details)).toContain(field);
  });

  it('a time window that ends before it starts: 400 naming LT_eventTime', async () => {
    const res = await regulator.get('/api/epcis/events?GE_eventTime=2026-11-23T00:00:00Z&LT_eventTime=2026-11-22T00:00:00Z').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'LT_eventTime' } });
  });
});
