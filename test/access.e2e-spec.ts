import type { Response, Test } from 'supertest';
import type { Role } from '@app/domain';
import { controllerRoutes } from './support/routes';
import { Client, createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, minutesAgo, scanOk, uid } from './support/fixtures';

/**
 * Who may call what, as the access issue states it, checked against every
 * route the router actually has: no token (401), each role (403 unless
 * allowed), and an operator's facility scope (403 on writes elsewhere, 404
 * on reads of lots that never came near its facilities). Every write route
 * an operator may call is also tried by another firm's operator at its own
 * facility on firm A's lots: 404 LOT_NOT_FOUND (per item or event in a batch
 * or a capture) and nothing appended. The table below is written from the
 * issues, not read from the code's declarations: a route added without an
 * entry here fails the first test.
 */

type OperatorScope = 'facility' | 'each-item' | 'lot-visible' | 'lot-filtered' | 'lot-held' | 'unrestricted' | 'each-event' | 'own-job' | 'subscribes' | 'own-subscription';

interface World {
  /** Network A: the operator under test works at its port and central warehouse. */
  port: string;
  warehouse: string;
  store: string;
  /** Network B: the outsider works here; no lot of network A ever came near it. */
  elsewhere: string;
  /** Held at the central warehouse of network A. */
  lot: string;
  /** Two more lots held at the warehouse, for merges. */
  mergeable: [string, string];
  /** For the regulator's actions, so they never disturb `lot`. */
  regulated: string;
  recallId: string;
  /** A key that DELETE /api/keys/:id revokes. */
  throwawayKeyId: string;
  /** An open violation of `regulated` (a scan at the store while the warehouse held it). */
  violationId: string;
  /** An EPCIS capture job of the operator under test. */
  captureId: string;
  /** A webhook subscription of the operator under test. */
  subscriptionId: string;
}

/** What another firm's operator gets on firm A's lot, naming its own facility (so the facility check passes). */
type AnotherFirm = 'lot-not-found' | 'item-lot-not-found' | 'event-lot-not-found' | 'recorded-not-on-the-lot' | 'no-existing-lot' | 'facility-refused' | 'subscription-not-found';

interface RouteSpec {
  /** No token needed. */
  readonly public?: true;
  readonly roles?: readonly Role[];
  /** How an OPERATOR key's facilities limit it (only when OPERATOR is allowed). */
  readonly operator?: OperatorScope;
  /** A request the allowed roles (and an in-scope operator) may make; `fresh` is unique per call. */
  readonly request: (c: Client, w: World, fresh: string) => Test;
  /** Write routes open to operators: the same request by another firm at its own facility (`w.elsewhere`), and what it gets. */
  readonly anotherFirm?: { readonly request: (c: Client, w: World, fresh: string) => Test; readonly expect: AnotherFirm };
}

const EVERY: readonly Role[] = ['ADMIN', 'OPERATOR', 'INSPECTOR', 'REGULATOR'];

/** An EPCIS document of one event: the lot sampled at the facility. */
const captureDocument = (traceCode: string, facilityId: string, fresh: string) => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: new Date().toISOString(),
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventID: `urn:coldtrace:access-test:${fresh}`,
        eventTime: minutesAgo(1),
        eventTimeZoneOffset: '+08:00',
        action: 'OBSERVE',
        bizStep: 'sampling',
        quantityList: [{ epcClass: `urn:coldtrace:lot:${traceCode}` }],
        readPoint: { id: `urn:coldtrace:facility:${facilityId}` },
      },
    ],
  },
});
const LOT_READERS: readonly Role[] = ['REGULATOR', 'INSPECTOR', 'OPERATOR'];
/** A public address (TEST-NET-3, nothing answers there): allowed as a webhook target without DNS. */
const HOOK_URL = 'https://203.0.113.10/hooks';
const NO_DELIVERY = '00000000-0000-4000-8000-000000000000';

const SPEC: Record<string, RouteSpec> = {
  'GET /api/health': { public: true, request: (c) => c.get('/api/health') },
  'GET /api/health/live': { public: true, request: (c) => c.get('/api/health/live') },
  'GET /api/health/ready': { public: true, request: (c) => c.get('/api/health/ready') },
  'GET /api/public/lots/:traceCode': { public: true, request: (c, w) => c.get(`/api/public/lots/${w.lot}`) },
  // The shopper's page behind the code on the pack (test/pages/shopper-page.e2e-spec.ts): outside /api, HTML, rate limited like the view.
  'GET /t/:traceCode': { public: true, request: (c, w) => c.get(`/t/${w.lot}`) },
  // The GS1 Digital Link resolver and its description (test/digital-link.e2e-spec.ts): outside /api, where GS1 tools look; rate limited like the view.
  'GET /01/:gtin/10/:lot': { public: true, request: (c, w) => c.get(`/01/09506000134352/10/${w.lot}`).set('accept', 'application/linkset+json') },
  'GET /.well-known/gs1resolver': { public: true, request: (c) => c.get('/.well-known/gs1resolver') },
  // Outside /api: no API key, its own METRICS_TOKEN (test/metrics.e2e-spec.ts).
  'GET /metrics': { public: true, request: (c) => c.get('/metrics') },
  // The API's own description and Swagger UI (test/openapi.e2e-spec.ts): a client generator needs them before it holds a key.
  'GET /api/openapi.json': { public: true, request: (c) => c.get('/api/openapi.json') },
  'GET /api/docs': { public: true, request: (c) => c.get('/api/docs') },
  'GET /api/docs/:file': { public: true, request: (c) => c.get('/api/docs/swagger-ui-init.js') },
  // The regulator's console (test/pages/console.e2e-spec.ts): a static page and its files, outside /api; the page asks for a REGULATOR token and sends it to the API itself.
  'GET /console': { public: true, request: (c) => c.get('/console') },
  'GET /console/:file': { public: true, request: (c) => c.get('/console/main.js') },

  'POST /api/keys': { roles: ['ADMIN'], request: (c, _w, f) => c.post('/api/keys').send({ name: `k-${f}`, role: 'REGULATOR' }) },
  'GET /api/keys': { roles: ['ADMIN'], request: (c) => c.get('/api/keys') },
  'DELETE /api/keys/:id': { roles: ['ADMIN'], request: (c, w) => c.delete(`/api/keys/${w.throwawayKeyId}`) },

  'POST /api/facilities': {
    roles: ['ADMIN'],
    request: (c, _w, f) => c.post('/api/facilities').send({ id: `F-${f}`, name: 'Store', type: 'RETAIL_STORE', zones: [] }),
  },
  'GET /api/facilities': { roles: EVERY, operator: 'unrestricted', request: (c) => c.get('/api/facilities') },
  'GET /api/facilities/:id': { roles: EVERY, operator: 'unrestricted', request: (c, w) => c.get(`/api/facilities/${w.warehouse}`) },
  'GET /api/facilities/:id/inventory': {
    roles: ['REGULATOR', 'OPERATOR'],
    operator: 'facility',
    request: (c, w) => c.get(`/api/facilities/${w.warehouse}/inventory`),
  },

  'POST /api/lots': {
    roles: ['OPERATOR'],
    operator: 'facility',
    request: (c, w, f) =>
      c.post('/api/lots').send({
        traceCode: `LOT-${f}`,
        product: { name: 'Frozen beef', category: 'FROZEN' },
        originCountry: 'BR',
        importer: 'Acme Imports Ltd',
        quantity: { amount: 10, unit: 'KG' },
        portOfEntryId: w.port,
        enteredAt: minutesAgo(60),
      }),
    // A registration makes a lot: there is no lot of firm A's for it to act on (a code already taken answers
    // LOT_EXISTS, which tells no more than the public view of the code on the pack tells anyone).
    anotherFirm: { request: (c) => c.get('/api/health/live'), expect: 'no-existing-lot' },
  },
  'POST /api/lots/:traceCode/documents': {
    roles: ['INSPECTOR'],
    request: (c, w, f) => c.post(`/api/lots/${w.lot}/documents`).send({ type: 'DISINFECTION', number: `D-${f}`, issuer: 'Lab', issuedAt: minutesAgo(30) }),
  },
  'POST /api/lots/:traceCode/splits': {
    roles: ['OPERATOR'],
    operator: 'lot-held',
    request: (c, w, f) => c.post(`/api/lots/${w.lot}/splits`).send({ splitId: `S-${f}`, children: [{ traceCode: `${w.lot}-${f}`, quantity: 1 }] }),
    anotherFirm: {
      request: (c, w, f) => c.post(`/api/lots/${w.lot}/splits`).send({ splitId: `S-${f}`, children: [{ traceCode: `${w.lot}-${f}`, quantity: 1 }] }),
      expect: 'lot-not-found',
    },
  },
  'POST /api/lots/merges': {
    roles: ['OPERATOR'],
    operator: 'facility',
    request: (c, w, f) =>
      c.post('/api/lots/merges').send({
        mergeId: `M-${f}`,
        traceCode: `MERGED-${f}`,
        facilityId: w.warehouse,
        parents: w.mergeable.map((traceCode) => ({ traceCode, quantity: 1 })),
      }),
    anotherFirm: {
      request: (c, w, f) =>
        c.post('/api/lots/merges').send({ mergeId: `M-${f}`, traceCode: `MERGED-${f}`, facilityId: w.elsewhere, parents: w.mergeable.map((traceCode) => ({ traceCode, quantity: 1 })) }),
      expect: 'lot-not-found',
    },
  },
  'POST /api/lots/:traceCode/lock': { roles: ['REGULATOR'], request: (c, w) => c.post(`/api/lots/${w.regulated}/lock`).send({ reason: 'hold' }) },
  'POST /api/lots/:traceCode/unlock': { roles: ['REGULATOR'], request: (c, w) => c.post(`/api/lots/${w.regulated}/unlock`).send({ reason: 'release' }) },
  'POST /api/lots/:traceCode/recall': { roles: ['REGULATOR'], request: (c, w) => c.post(`/api/lots/${w.regulated}/recall`).send({ reason: 'recall' }) },
  'POST /api/lots/:traceCode/destroy': { roles: ['REGULATOR'], request: (c, w) => c.post(`/api/lots/${w.regulated}/destroy`).send({ reason: 'burnt' }) },
  'POST /api/lots/:traceCode/violations/:violationId/resolve': {
    roles: ['REGULATOR'],
    request: (c, w) => c.post(`/api/lots/${w.regulated}/violations/${w.violationId}/resolve`).send({ reason: 'reviewed' }),
  },

  'GET /api/lots': { roles: ['REGULATOR'], request: (c) => c.get('/api/lots') },
  'GET /api/lots/:traceCode': { roles: LOT_READERS, operator: 'lot-visible', request: (c, w) => c.get(`/api/lots/${w.lot}`) },
  'GET /api/lots/:traceCode/temperatures': { roles: LOT_READERS, operator: 'lot-visible', request: (c, w) => c.get(`/api/lots/${w.lot}/temperatures`) },
  'POST /api/lots/:traceCode/temperatures': {
    roles: ['OPERATOR'],
    operator: 'lot-held',
    request: (c, w, f) => c.post(`/api/lots/${w.lot}/temperatures`).send({ deviceId: `T-${f}`, readings: [{ at: new Date(Date.now() - 60_000).toISOString(), celsius: -20 }] }),
    anotherFirm: {
      request: (c, w, f) => c.post(`/api/lots/${w.lot}/temperatures`).send({ deviceId: `T-${f}`, readings: [{ at: new Date(Date.now() - 60_000).toISOString(), celsius: -20 }] }),
      expect: 'lot-not-found',
    },
  },
  'GET /api/lots/:traceCode/history': { roles: LOT_READERS, operator: 'lot-visible', request: (c, w) => c.get(`/api/lots/${w.lot}/history`) },
  'GET /api/lots/:traceCode/sale-eligibility': {
    roles: LOT_READERS,
    operator: 'lot-visible',
    request: (c, w) => c.get(`/api/lots/${w.lot}/sale-eligibility`),
  },
  'GET /api/lots/:traceCode/trace': {
    roles: LOT_READERS,
    operator: 'lot-visible',
    request: (c, w) => c.get(`/api/lots/${w.lot}/trace?direction=backward`),
  },
  'GET /api/recalls/:id': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/recalls/${w.recallId}`) },
  // The code on the pack: whoever may read the lot (test/pages/shopper-page.e2e-spec.ts).
  'GET /api/lots/:traceCode/qr.svg': { roles: LOT_READERS, operator: 'lot-visible', request: (c, w) => c.get(`/api/lots/${w.lot}/qr.svg`) },
  'GET /api/lots/:traceCode/qr.png': { roles: LOT_READERS, operator: 'lot-visible', request: (c, w) => c.get(`/api/lots/${w.lot}/qr.png`) },
  // A query over many lots: an operator's scope leaves other firms' lots out of the answer (not a 404).
  'GET /api/epcis/events': {
    roles: LOT_READERS,
    operator: 'lot-filtered',
    request: (c, w) => c.get(`/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(`urn:coldtrace:lot:${w.lot}`)}`),
  },
  'GET /api/lots/:traceCode/trace.csv': {
    roles: LOT_READERS,
    operator: 'lot-visible',
    request: (c, w) => c.get(`/api/lots/${w.lot}/trace.csv?direction=forward`),
  },
  'GET /api/recalls/:id/export.csv': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/recalls/${w.recallId}/export.csv`) },

  'POST /api/scans': {
    roles: ['OPERATOR'],
    operator: 'facility',
    request: (c, w, f) => c.post('/api/scans').send({ scanId: `SC-${f}`, traceCode: w.lot, facilityId: w.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1) }),
    anotherFirm: {
      request: (c, w, f) => c.post('/api/scans').send({ scanId: `SC-${f}`, traceCode: w.lot, facilityId: w.elsewhere, action: 'RECEIVE', occurredAt: minutesAgo(1) }),
      expect: 'lot-not-found',
    },
  },

  'POST /api/sightings': {
    roles: ['OPERATOR'],
    operator: 'facility',
    request: (c, w, f) => c.post('/api/sightings').send({ traceCode: w.lot, facilityId: w.warehouse, occurredAt: minutesAgo(1), note: `seen ${f}` }),
    // The one write another firm makes about firm A's lot: a report for the regulator, not a scan of it.
    anotherFirm: {
      request: (c, w, f) => c.post('/api/sightings').send({ traceCode: w.lot, facilityId: w.elsewhere, occurredAt: minutesAgo(1), note: `found ${f}` }),
      expect: 'recorded-not-on-the-lot',
    },
  },
  'GET /api/sightings': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/sightings?traceCode=${w.lot}`) },
  // The regulator's dashboard and the lists it counts (issue 19).
  'GET /api/dashboard': { roles: ['REGULATOR'], request: (c) => c.get('/api/dashboard') },
  'GET /api/violations': { roles: ['REGULATOR'], request: (c) => c.get('/api/violations?status=OPEN') },
  'GET /api/recalls': { roles: ['REGULATOR'], request: (c) => c.get('/api/recalls?inProgress=true') },
  'GET /api/scans': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/scans?traceCode=${w.lot}`) },
  'GET /api/refusals': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/refusals?traceCode=${w.lot}`) },

  'POST /api/scans/batch': {
    roles: ['OPERATOR'],
    operator: 'each-item',
    request: (c, w, f) => c.post('/api/scans/batch').send({ scans: [{ scanId: `SB-${f}`, traceCode: w.lot, facilityId: w.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1) }] }),
    anotherFirm: {
      request: (c, w, f) => c.post('/api/scans/batch').send({ scans: [{ scanId: `SB-${f}`, traceCode: w.lot, facilityId: w.elsewhere, action: 'SAMPLE', occurredAt: minutesAgo(1) }] }),
      expect: 'item-lot-not-found',
    },
  },

  // Each event is judged against the role its own route needs (FORBIDDEN in the job's errors): test/epcis-lifecycle.e2e-spec.ts.
  'POST /api/epcis/capture': {
    roles: ['OPERATOR', 'INSPECTOR', 'REGULATOR'],
    operator: 'each-event',
    request: (c, w, f) => c.post('/api/epcis/capture').send(captureDocument(w.lot, w.warehouse, f)),
    anotherFirm: { request: (c, w, f) => c.post('/api/epcis/capture').send(captureDocument(w.lot, w.elsewhere, f)), expect: 'event-lot-not-found' },
  },
  // GS1's capture limits, asked before sending (test/epcis-capture-jobs.e2e-spec.ts): no secret, so no key needed.
  'OPTIONS /api/epcis/capture': { public: true, request: (c) => c.options('/api/epcis/capture') },
  'GET /api/epcis/capture/:captureId': { roles: ['OPERATOR', 'INSPECTOR', 'REGULATOR'], operator: 'own-job', request: (c, w) => c.get(`/api/epcis/capture/${w.captureId}`) },

  'GET /api/audit/lots/:traceCode/verify': { roles: ['REGULATOR'], request: (c, w) => c.get(`/api/audit/lots/${w.lot}/verify`) },
  'GET /api/audit/digest': { roles: ['REGULATOR'], request: (c) => c.get('/api/audit/digest') },
  'POST /api/audit/digest/verify': {
    roles: ['REGULATOR'],
    request: (c) => c.post('/api/audit/digest/verify').send({ position: 1, digest: '0'.repeat(64) }),
  },
  // Webhooks (test/webhooks.e2e-spec.ts): every role that reads lots subscribes; a subscription is its key's alone.
  'POST /api/subscriptions': {
    roles: LOT_READERS,
    operator: 'subscribes',
    request: (c) => c.post('/api/subscriptions').send({ url: HOOK_URL, events: ['lot.recalled'] }),
    anotherFirm: { request: (c, w) => c.post('/api/subscriptions').send({ url: HOOK_URL, events: ['lot.recalled'], facilityIds: [w.warehouse] }), expect: 'facility-refused' },
  },
  'GET /api/subscriptions': { roles: LOT_READERS, operator: 'unrestricted', request: (c) => c.get('/api/subscriptions') },
  'GET /api/subscriptions/:id': { roles: LOT_READERS, operator: 'own-subscription', request: (c, w) => c.get(`/api/subscriptions/${w.subscriptionId}`) },
  'GET /api/subscriptions/:id/deliveries': { roles: LOT_READERS, operator: 'own-subscription', request: (c, w) => c.get(`/api/subscriptions/${w.subscriptionId}/deliveries`) },
  'POST /api/subscriptions/:id/deliveries/:deliveryId/retry': {
    roles: LOT_READERS,
    operator: 'own-subscription',
    request: (c, w) => c.post(`/api/subscriptions/${w.subscriptionId}/deliveries/${NO_DELIVERY}/retry`),
    anotherFirm: { request: (c, w) => c.post(`/api/subscriptions/${w.subscriptionId}/deliveries/${NO_DELIVERY}/retry`), expect: 'subscription-not-found' },
  },
  'DELETE /api/subscriptions/:id': { roles: LOT_READERS, operator: 'own-subscription', request: (c, w) => c.delete(`/api/subscriptions/${w.subscriptionId}`) },
  'POST /api/epcis/queries/SimpleEventQuery/subscriptions': {
    roles: LOT_READERS,
    operator: 'subscribes',
    request: (c) => c.post('/api/epcis/queries/SimpleEventQuery/subscriptions').send({ dest: HOOK_URL, signatureToken: 'access-test-signature-token', stream: true }),
    // Nothing of firm A's to name: what it is sent is judged by its scope at each delivery (test/epcis-subscriptions.e2e-spec.ts).
    anotherFirm: { request: (c) => c.get('/api/health/live'), expect: 'no-existing-lot' },
  },
  'DELETE /api/epcis/queries/SimpleEventQuery/subscriptions/:subscriptionID': {
    roles: LOT_READERS,
    operator: 'own-subscription',
    request: (c, w) => c.delete(`/api/epcis/queries/SimpleEventQuery/subscriptions/${w.subscriptionId}`),
  },
  // Public keys, to anyone: whoever holds an event (a Kafka consumer, a copy of a history, a backup) checks its signature without a key of ours.
  'GET /api/audit/keys': { public: true, request: (c) => c.get('/api/audit/keys') },
};

/** Every method and path the Express router serves, as `METHOD /path` (read from the router itself). */
const registeredRoutes = (t: TestApp): string[] => controllerRoutes(t.app);

const codeOf = (res: Response): string | undefined => (res.body as { code?: string }).code;

describe('access: every route x every role (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let w: World;
  let tokens: Record<Role, string>;
  let outsider: string;

  beforeAll(async () => {
    t = await createTestApp();
    const tag = uid();
    const admin = t.as(t.tokens.admin);
    const facilities = [
      { id: `PORT-${tag}`, name: 'Port A', type: 'PORT_OF_ENTRY', zones: [] },
      { id: `CW-${tag}`, name: 'Warehouse A', type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'IN-1', kind: 'DEDICATED_INTAKE' }] },
      { id: `RS-${tag}`, name: 'Store A', type: 'RETAIL_STORE', zones: [{ id: 'SALES-1', kind: 'DEDICATED_SALES' }] },
      { id: `WM-${tag}-B`, name: 'Market B', type: 'WHOLESALE_MARKET', zones: [] },
    ];
    for (const f of facilities) await admin.post('/api/facilities').send(f).expect(201);
    const n = { port: facilities[0].id, warehouse: facilities[1].id, store: facilities[2].id };

    // Lots walked to the warehouse (by the harness's all-facilities operator).
    const atWarehouse = async () => {
      const traceCode = `A-${uid()}`;
      await t
        .http()
        .post('/api/lots')
        .send({
          traceCode,
          product: { name: 'Frozen beef', category: 'FROZEN' },
          originCountry: 'BR',
          importer: 'Acme Imports Ltd',
          quantity: { amount: 100, unit: 'KG' },
          portOfEntryId: n.port,
          enteredAt: minutesAgo(600),
        })
        .expect(201);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'T-1' } });
      await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: 'IN-1' });
      return traceCode;
    };
    const lot = await atWarehouse();
    await attachAllPapers(t, lot);
    const mergeable: [string, string] = [await atWarehouse(), await atWarehouse()];
    const regulated = await atWarehouse();
    const recalled = await atWarehouse();
    const recall = await t.http().post(`/api/lots/${recalled}/recall`).send({ reason: 'setup' }).expect(201);
    // A scan at the store while the warehouse holds it: a violation for the regulator to resolve.
    await scanOk(t, { traceCode: regulated, facilityId: n.store, action: 'SAMPLE' });
    const strayScan = (await t.store.readStream(`lot-${regulated}`)).events.find((e) => e.type === 'TraceViolationRecorded')!.data as { scanId: string; kind: string };

    tokens = {
      ADMIN: t.tokens.admin,
      INSPECTOR: t.tokens.inspector,
      REGULATOR: t.tokens.regulator,
      OPERATOR: (await t.issueKey('OPERATOR', [n.port, n.warehouse], 'operator under test')).token,
    };
    outsider = (await t.issueKey('OPERATOR', [facilities[3].id], 'outsider')).token;
    const capture = await t.as(tokens.OPERATOR).post('/api/epcis/capture').send(captureDocument(lot, n.warehouse, uid()));
    if (capture.status !== 202) throw new Error(`capture failed: ${capture.status} ${JSON.stringify(capture.body)}`);
    w = {
      ...n,
      elsewhere: facilities[3].id,
      lot,
      mergeable,
      regulated,
      recallId: recall.body.recallId as string,
      throwawayKeyId: (await t.issueKey('INSPECTOR', undefined, 'throwaway')).id,
      violationId: `${strayScan.scanId}.${strayScan.kind}`,
      captureId: capture.body.captureID as string,
      subscriptionId: (await t.as(tokens.OPERATOR).post('/api/subscriptions').send({ url: HOOK_URL, events: ['lot.recalled'] }).expect(201)).body.id as string,
    };
  });

  afterAll(async () => {
    await t?.close();
  });

  it('has an expectation for every route the router serves, and the router serves every route expected', () => {
    expect(registeredRoutes(t)).toEqual(Object.keys(SPEC).sort());
  });

  it.each(Object.entries(SPEC))('%s', async (route, spec) => {
    const fresh = uid();
    if (spec.public) {
      const res = await spec.request(t.anonymous(), w, fresh);
      expect([401, 403]).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
      return;
    }

    const anonymous = await spec.request(t.anonymous(), w, `${fresh}-anon`);
    expect({ route, status: anonymous.status, code: codeOf(anonymous) }).toEqual({ route, status: 401, code: 'UNAUTHENTICATED' });
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);

    for (const role of Object.keys(tokens) as Role[]) {
      const res = await spec.request(t.as(tokens[role]), w, `${fresh}-${role}`);
      const seen = { route, role, status: res.status, code: codeOf(res) };
      if (spec.roles!.includes(role)) {
        // Past access control: whatever the domain answers, it is not an access refusal or a crash.
        expect(seen.status).toBeLessThan(500);
        expect([401, 403]).not.toContain(seen.status);
        if (role === 'OPERATOR' && spec.operator === 'lot-visible') expect(seen.status).toBe(200);
        if (role === 'OPERATOR' && spec.operator === 'lot-filtered') expect(res.body.epcisBody?.queryResults?.resultsBody?.eventList?.length).toBeGreaterThan(0);
      } else {
        expect(seen).toEqual({ route, role, status: 403, code: 'FORBIDDEN' });
        expect(res.body.details).toEqual({ role, required: [...spec.roles!] });
      }
    }

    if (spec.roles!.includes('OPERATOR')) {
      const res = await spec.request(t.as(outsider), w, `${fresh}-outsider`);
      const seen = { route, status: res.status, code: codeOf(res) };
      switch (spec.operator) {
        case 'facility':
          expect(seen).toEqual({ route, status: 403, code: 'FORBIDDEN' });
          break;
        case 'lot-held':
          // Another firm's lot is as unknown to it as a lot never registered.
          expect(seen).toEqual({ route, status: 404, code: 'LOT_NOT_FOUND' });
          break;
        case 'lot-visible':
          expect(seen).toEqual({ route, status: 404, code: 'LOT_NOT_FOUND' });
          break;
        case 'lot-filtered':
          // Answered, with nothing of a lot that never came near the outsider's facilities.
          expect({ ...seen, events: res.body.epcisBody?.queryResults?.resultsBody?.eventList }).toEqual({ route, status: 200, code: undefined, events: [] });
          break;
        case 'unrestricted':
          expect(seen.status).toBe(200);
          break;
        case 'each-event':
          // The capture is answered; its event at a facility not the key's is refused on its own.
          expect({ ...seen, errors: res.body.errors?.map((e: { code: string }) => e.code) }).toEqual({ route, status: 202, code: undefined, errors: ['FORBIDDEN'] });
          break;
        case 'subscribes':
          expect(seen.status).toBe(201);
          break;
        case 'own-subscription':
          // Subscriptions are their key's: another's is as unknown as none.
          expect(seen).toEqual({ route, status: 404, code: 'SUBSCRIPTION_NOT_FOUND' });
          break;
        case 'own-job':
          // Jobs are the capturing key's: another's is as unknown as none.
          expect(seen).toEqual({ route, status: 404, code: 'CAPTURE_JOB_NOT_FOUND' });
          break;
        case 'each-item':
          // The batch is answered; the scan at a facility not the key's is refused on its own.
          expect({ ...seen, results: res.body.results?.map((r: { status: string; code?: string }) => [r.status, r.code]) }).toEqual({
            route,
            status: 200,
            code: undefined,
            results: [['refused', 'FORBIDDEN']],
          });
          break;
        default:
          throw new Error(`${route} admits operators but the table gives no scope`);
      }
      if (route.startsWith('POST ')) await anotherFirmIsRefused(route, spec, fresh);
    }
  });

  /** Another firm's operator, at its own facility, on firm A's lots: as for an unknown lot, and not one event appended. */
  const anotherFirmIsRefused = async (route: string, spec: RouteSpec, fresh: string): Promise<void> => {
    if (!spec.anotherFirm) throw new Error(`${route} is a write route open to operators but the table says nothing of another firm's operator`);
    const head = async (): Promise<number> => Number((await t.dataSource.query(`SELECT coalesce(max(global_position), 0) AS p FROM events`))[0].p);
    const lotVersions = async (): Promise<number[]> => Promise.all([w.lot, ...w.mergeable].map(async (tc) => (await t.store.readStream(`lot-${tc}`)).version));
    const [before, versionsBefore] = [await head(), await lotVersions()];
    const res = await spec.anotherFirm.request(t.as(outsider), w, `${fresh}-another-firm`);
    const seen = { route, status: res.status, code: codeOf(res) };
    switch (spec.anotherFirm.expect) {
      case 'lot-not-found':
        expect(seen).toEqual({ route, status: 404, code: 'LOT_NOT_FOUND' });
        expect(await head()).toBe(before);
        break;
      case 'item-lot-not-found':
        expect({ ...seen, results: res.body.results?.map((r: { status: string; code?: string }) => [r.status, r.code]) }).toEqual({ route, status: 200, code: undefined, results: [['refused', 'LOT_NOT_FOUND']] });
        expect(await head()).toBe(before);
        break;
      case 'event-lot-not-found':
        expect({ ...seen, errors: res.body.errors?.map((e: { code: string }) => e.code) }).toEqual({ route, status: 202, code: undefined, errors: ['LOT_NOT_FOUND'] });
        expect(await head()).toBe(before);
        break;
      case 'recorded-not-on-the-lot':
        // A sighting: its own event, nothing on any lot.
        expect(seen.status).toBe(201);
        expect(await head()).toBe(before + 1);
        break;
      case 'no-existing-lot':
        break;
      case 'facility-refused':
        expect(seen).toEqual({ route, status: 403, code: 'FORBIDDEN' });
        expect(await head()).toBe(before);
        break;
      case 'subscription-not-found':
        expect(seen).toEqual({ route, status: 404, code: 'SUBSCRIPTION_NOT_FOUND' });
        expect(await head()).toBe(before);
        break;
    }
    expect(await lotVersions()).toEqual(versionsBefore);
  };

  it('an operator of the central warehouse: no scan at another site (403), no read of a lot that never came near it (404), reads one on its way to it', async () => {
    const operator = t.as(tokens.OPERATOR);
    const elsewhere = await operator
      .post('/api/scans')
      .send({ scanId: `X-${uid()}`, traceCode: w.lot, facilityId: w.store, action: 'SAMPLE', occurredAt: minutesAgo(1) });
    expect({ status: elsewhere.status, code: codeOf(elsewhere) }).toEqual({ status: 403, code: 'FORBIDDEN' });

    // A lot registered at the store's own port... of another network, never near the warehouse.
    const outsiderPort = `PORT-${uid()}`;
    await t.as(tokens.ADMIN).post('/api/facilities').send({ id: outsiderPort, name: 'Port B', type: 'PORT_OF_ENTRY', zones: [] }).expect(201);
    const portOperator = await t.issueKey('OPERATOR', [outsiderPort]);
    const far = `FAR-${uid()}`;
    const registered = await t
      .as(portOperator.token)
      .post('/api/lots')
      .send({
        traceCode: far,
        product: { name: 'Frozen beef', category: 'FROZEN' },
        originCountry: 'AR',
        importer: 'Other Importer',
        quantity: { amount: 5, unit: 'KG' },
        portOfEntryId: outsiderPort,
        enteredAt: minutesAgo(60),
      })
      .expect(201);
    for (const path of [`/api/lots/${far}`, `/api/lots/${far}/history`, `/api/lots/${far}/sale-eligibility`, `/api/lots/${far}/trace?direction=forward`]) {
      const res = await operator.get(`${path}${path.includes('?') ? '&' : '?'}atLeast=${registered.body.position}`);
      expect({ path, status: res.status, code: codeOf(res) }).toEqual({ path, status: 404, code: 'LOT_NOT_FOUND' });
      // Exactly what an unknown trace code answers: nothing tells the two apart.
      const unknown = await operator.get(path.replace(far, `NOPE-${uid()}`));
      expect(unknown.body.code).toBe('LOT_NOT_FOUND');
    }

    // Dispatched from that port to our warehouse: now it is on its way to one of our facilities.
    const dispatched = await t
      .as(portOperator.token)
      .post('/api/scans')
      .send({ scanId: `D-${uid()}`, traceCode: far, facilityId: outsiderPort, action: 'DISPATCH', toFacilityId: w.warehouse, occurredAt: minutesAgo(5) })
      .expect(201);
    const lot = await operator.get(`/api/lots/${far}?atLeast=${dispatched.body.position}`).expect(200);
    expect(lot.body).toMatchObject({ traceCode: far, status: 'IN_TRANSIT', inTransit: { toFacilityId: w.warehouse } });
    await operator.get(`/api/lots/${far}/history?atLeast=${dispatched.body.position}`).expect(200);
    // ... and the port's operator still cannot scan at the warehouse.
    const receipt = await t
      .as(portOperator.token)
      .post('/api/scans')
      .send({ scanId: `R-${uid()}`, traceCode: far, facilityId: w.warehouse, action: 'RECEIVE', zoneId: 'IN-1', occurredAt: minutesAgo(1) });
    expect(receipt.status).toBe(403);
  });

  it("an operator's trace shows only the part of the genealogy that came near its facilities", async () => {
    const operator = t.as(tokens.OPERATOR);
    const children = [`${w.lot}-C1-${uid()}`, `${w.lot}-C2-${uid()}`];
    const split = await operator
      .post(`/api/lots/${w.lot}/splits`)
      .send({ splitId: `SPLIT-${uid()}`, children: children.map((traceCode) => ({ traceCode, quantity: 2 })) })
      .expect(201);
    const regulatorView = await t.as(tokens.REGULATOR).get(`/api/lots/${w.lot}/trace?direction=forward&atLeast=${split.body.position}`).expect(200);
    const operatorView = await operator.get(`/api/lots/${w.lot}/trace?direction=forward&atLeast=${split.body.position}`).expect(200);
    // Children split at the warehouse were there too: the operator sees them.
    expect(operatorView.body.lots.map((l: { traceCode: string }) => l.traceCode)).toEqual(expect.arrayContaining(children));
    expect(operatorView.body.hiddenLots).toBe(0);
    expect(regulatorView.body.lots.length).toBe(operatorView.body.lots.length);
    const outsiderView = await t.as(outsider).get(`/api/lots/${w.lot}/trace?direction=forward`);
    expect(outsiderView.status).toBe(404);
  });
});
