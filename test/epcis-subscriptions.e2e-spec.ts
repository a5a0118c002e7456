import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, uid, walkToStore } from './support/fixtures';
import { waitFor } from './support/wait-for';
import { Received, verifySignature, WebhookReceiver } from './support/webhook-receiver';

interface QueryDocument {
  epcisBody: { queryResults: { queryName: string; subscriptionID?: string; resultsBody: { eventList: { eventID: string; bizStep?: string }[] } } };
}

/** What an EPCIS subscription is sent: an EPCISQueryDocument. */
const documentOf = (d: Received): QueryDocument => d.body as unknown as QueryDocument;

const repoRoot = resolve(__dirname, '..');
const SCHEMA_PATH = [resolve(repoRoot, '../shared/epcis/EPCIS-JSON-Schema.json'), resolve(repoRoot, 'apps/api/src/epcis/capture/schema/EPCIS-JSON-Schema.json')].find((p) => existsSync(p))!;
const SUBSCRIPTIONS = '/api/epcis/queries/SimpleEventQuery/subscriptions';
const TOKEN = 'a-partner-chosen-signature-token';

/**
 * EPCIS 2.0 query subscriptions (streaming): a journey's events reach the
 * subscriber as the export writes them, each in an EPCISQueryDocument GS1's
 * schema accepts, signed with the subscriber's token; an operator's
 * subscription gets only lots that came near its facilities.
 */
describe('EPCIS query subscriptions (e2e, real PostgreSQL, a real receiver on loopback)', () => {
  let t: TestApp;
  let validate: ValidateFunction;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await createTestApp({ webhooks: { allowHttp: true, allowPrivate: ['127.0.0.0/8'], retry: { minMs: 100, maxMs: 1_000, forMs: 60_000 }, timeoutMs: 5_000 } });
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  });
  afterAll(async () => {
    await t.close();
    for (const r of receivers) await r.down();
  });

  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };

  it("delivers a journey's events as the export has them, in valid documents naming the subscription, signed with its token", async () => {
    const n = await registerNetwork(t);
    const traceCode = `EPC-${uid()}`;
    const r = await receiver();
    const created = await t
      .as(t.tokens.regulator)
      .post(`${SUBSCRIPTIONS}?MATCH_anyEPCClass=urn:coldtrace:lot:${traceCode}`)
      .send({ dest: r.url, signatureToken: TOKEN, reportIfEmpty: false, stream: true })
      .expect(201);
    expect(created.headers.location).toBe(`${SUBSCRIPTIONS}/${created.body.subscriptionID}`);
    const shipping = await receiver();
    await t
      .as(t.tokens.regulator)
      .post(`${SUBSCRIPTIONS}?MATCH_anyEPCClass=urn:coldtrace:lot:${traceCode}&EQ_bizStep=shipping`)
      .send({ dest: shipping.url, signatureToken: TOKEN, stream: true })
      .expect(201);
    // An operator of another network never hears of this lot.
    const elsewhere = await registerNetwork(t);
    const outsider = await t.issueKey('OPERATOR', [elsewhere.store]);
    const far = await receiver();
    await t.as(outsider.token).post(SUBSCRIPTIONS).send({ dest: far.url, signatureToken: TOKEN, stream: true }).expect(201);

    await registerLot(t, n, traceCode);
    const last = await walkToStore(t, n, traceCode);
    const exported = await t.as(t.tokens.regulator).get(`/api/epcis/events?MATCH_anyEPCClass=urn:coldtrace:lot:${traceCode}&perPage=1000`).expect(200);
    const ids = (exported.body.epcisBody.queryResults.resultsBody.eventList as { eventID: string }[]).map((e) => e.eventID);
    expect(ids.length).toBeGreaterThan(10);
    expect(last.position).toBeGreaterThan(0);

    const eventsOf = (rec: WebhookReceiver) => rec.distinct().flatMap((d) => documentOf(d).epcisBody.queryResults.resultsBody.eventList);
    await waitFor('every exported event delivered', async () => eventsOf(r).length >= ids.length, 20_000, 50);
    expect(eventsOf(r).map((e) => e.eventID).sort()).toEqual([...ids].sort());
    for (const d of r.distinct()) {
      expect({ valid: validate(d.body), errors: validate.errors ?? [] }).toEqual({ valid: true, errors: [] });
      expect(documentOf(d).epcisBody.queryResults).toMatchObject({ queryName: 'SimpleEventQuery', subscriptionID: created.body.subscriptionID });
      expect(verifySignature(TOKEN, d)).toBe(true);
    }
    // The query's other filters hold too: only the dispatches.
    await waitFor('the shipping events', async () => eventsOf(shipping).length >= 3, 20_000, 50);
    expect(eventsOf(shipping).every((e) => e.bizStep === 'shipping')).toBe(true);
    expect(eventsOf(shipping).length).toBe((exported.body.epcisBody.queryResults.resultsBody.eventList as { bizStep?: string }[]).filter((e) => e.bizStep === 'shipping').length);
    expect(far.received).toEqual([]);

    // Ended: nothing more.
    await t.as(t.tokens.regulator).delete(`${SUBSCRIPTIONS}/${created.body.subscriptionID}`).expect(200);
    const before = r.received.length;
    await t.http().post('/api/scans').send({ scanId: `S-${uid()}`, traceCode, facilityId: n.store, action: 'SAMPLE', occurredAt: new Date().toISOString() }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received.length).toBe(before);
  });

  it('refuses what it does not offer: a schedule, stream false, an unknown filter, a bad target', async () => {
    const regulator = t.as(t.tokens.regulator);
    const cases: [string, unknown, number, string][] = [
      [SUBSCRIPTIONS, { dest: 'http://127.0.0.1:9/x', signatureToken: TOKEN, stream: true, schedule: { hour: '1' } }, 400, 'VALIDATION_FAILED'],
      [SUBSCRIPTIONS, { dest: 'http://127.0.0.1:9/x', signatureToken: TOKEN, stream: false }, 400, 'VALIDATION_FAILED'],
      [SUBSCRIPTIONS, { dest: 'http://127.0.0.1:9/x', signatureToken: 'short', stream: true }, 400, 'VALIDATION_FAILED'],
      [`${SUBSCRIPTIONS}?eventType=Nonsense`, { dest: 'http://127.0.0.1:9/x', signatureToken: TOKEN, stream: true }, 400, 'VALIDATION_FAILED'],
      [`${SUBSCRIPTIONS}?perPage=10`, { dest: 'http://127.0.0.1:9/x', signatureToken: TOKEN, stream: true }, 400, 'VALIDATION_FAILED'],
      [SUBSCRIPTIONS, { dest: 'http://169.254.169.254/x', signatureToken: TOKEN, stream: true }, 422, 'WEBHOOK_URL_NOT_ALLOWED'],
    ];
    for (const [url, body, status, code] of cases) {
      const res = await regulator.post(url).send(body as object);
      expect({ url, body, status: res.status, code: res.body.code }).toEqual({ url, body, status, code });
    }
  });
});
