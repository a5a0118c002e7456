import { createTestApp, TestApp } from './support/test-app';
import { attachAllPapers, attachDocument, minutesAgo, Network, registerLot, registerNetwork, scanOk, uid } from './support/fixtures';
import { verifySignature, WebhookReceiver } from './support/webhook-receiver';
import { waitFor } from './support/wait-for';
import { scrape, valueOf } from './support/metrics';
import type { App } from 'supertest/types';

/** Loopback receivers, retries shortened: what the tests need of WEBHOOK_*. */
const WEBHOOKS = { allowHttp: true, allowPrivate: ['127.0.0.0/8'], retry: { minMs: 100, maxMs: 1_000, forMs: 60_000 }, timeoutMs: 5_000 };

interface Created {
  id: string;
  secret: string;
}

const STORES = 5;
const PER_STORE = 10;

/** A retail store with a general zone to receive into. */
const registerStore = async (t: TestApp, id: string) =>
  t.http().post('/api/facilities').send({ id, name: `Store ${id}`, type: 'RETAIL_STORE', zones: [{ id: 'BACK-1', kind: 'GENERAL' }, { id: 'SALES-1', kind: 'DEDICATED_SALES' }] }).expect(201);

/** An import lot at the wholesale market, split there into children, `PER_STORE` of them received by each store. */
const familyAtStores = async (t: TestApp, n: Network, stores: string[]) => {
  const { traceCode: parent } = await registerLot(t, n, `P-${uid()}`, 1000);
  await attachAllPapers(t, parent);
  await scanOk(t, { traceCode: parent, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' }, occurredAt: minutesAgo(300) });
  await scanOk(t, { traceCode: parent, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake, occurredAt: minutesAgo(290) });
  await scanOk(t, { traceCode: parent, facilityId: n.warehouse, action: 'DISINFECT', occurredAt: minutesAgo(280) });
  await scanOk(t, { traceCode: parent, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market, occurredAt: minutesAgo(270) });
  await scanOk(t, { traceCode: parent, facilityId: n.market, action: 'RECEIVE', zoneId: n.zones.marketStorage, occurredAt: minutesAgo(260) });
  const children = stores.flatMap((store, s) => Array.from({ length: PER_STORE }, (_, i) => ({ traceCode: `${parent}-${s}-${i}`, store })));
  await t
    .http()
    .post(`/api/lots/${parent}/splits`)
    .send({ splitId: `SPLIT-${uid()}`, children: children.map((c) => ({ traceCode: c.traceCode, quantity: 5 })), occurredAt: minutesAgo(250) })
    .expect(201);
  const scans = [
    ...children.map((c) => ({ scanId: `D-${c.traceCode}`, traceCode: c.traceCode, facilityId: n.market, action: 'DISPATCH', toFacilityId: c.store, occurredAt: minutesAgo(240) })),
    ...children.map((c) => ({ scanId: `R-${c.traceCode}`, traceCode: c.traceCode, facilityId: c.store, action: 'RECEIVE', zoneId: 'BACK-1', occurredAt: minutesAgo(230) })),
  ];
  const res = await t.http().post('/api/scans/batch').send({ scans }).expect(200);
  expect((res.body.results as { code?: string }[]).filter((r) => r.code)).toEqual([]);
  return { parent, children };
};

describe('webhooks (e2e, real PostgreSQL, real HTTP receivers on loopback)', () => {
  let t: TestApp;
  let n: Network;
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    t = await createTestApp({ webhooks: WEBHOOKS });
    n = await registerNetwork(t);
  });
  afterAll(async () => {
    await t.close();
    for (const r of receivers) await r.down();
  });

  const subscribe = async (token: string, body: Record<string, unknown>): Promise<Created> => {
    const res = await t.as(token).post('/api/subscriptions').send(body);
    if (res.status !== 201) throw new Error(`subscribing answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Created;
  };

  it('a positive test on the parent of a 50-lot family held by 5 stores: each store is told of exactly its own lots, signed with its own secret', async () => {
    const stores = [n.store, ...Array.from({ length: STORES - 1 }, (_, i) => `RS-${uid()}-${i}`)];
    for (const s of stores.slice(1)) await registerStore(t, s);
    const subscribers: { store: string; r: WebhookReceiver; sub: Created }[] = [];
    for (const store of stores) {
      const key = await t.issueKey('OPERATOR', [store]);
      const r = await receiver();
      subscribers.push({ store, r, sub: await subscribe(key.token, { url: r.url, events: ['lot.recalled', 'lot.locked'] }) });
    }
    const regulator = await receiver();
    const watching = await subscribe(t.tokens.regulator, { url: regulator.url, events: ['lot.recalled'] });
    const { parent, children } = await familyAtStores(t, n, stores);

    const test = await attachDocument(t, parent, 'NUCLEIC_ACID_TEST', { result: 'POSITIVE', issuedAt: minutesAgo(1) });
    const answered = performance.now();
    expect(test.locked).toBe(true);
    const recallId = (test as unknown as { recallId: string }).recallId;

    await waitFor('every store told of its lots', async () => subscribers.every((s) => s.r.distinct().filter((d) => d.body.type === 'lot.recalled').length >= PER_STORE), 30_000, 50);
    for (const { store, r, sub } of subscribers) {
      const recalls = r.distinct().filter((d) => d.body.type === 'lot.recalled');
      expect(recalls.map((d) => d.body.data.traceCode).sort()).toEqual(children.filter((c) => c.store === store).map((c) => c.traceCode).sort());
      for (const d of recalls) {
        expect(d.body.data).toMatchObject({ facilityId: store, recallId, unsoldQuantity: 5, unit: 'KG' });
        expect(verifySignature(sub.secret, d)).toBe(true);
        // Another subscription's secret does not verify it.
        expect(verifySignature(watching.secret, d)).toBe(false);
      }
      // A lot recalled is a lot locked too, told apart by its type; never another store's lot.
      expect(r.distinct().every((d) => d.body.data.facilityId === store)).toBe(true);
    }
    // The regulator hears of every lot of the family: the parent at the market too.
    await waitFor('the regulator told of the whole family', async () => regulator.distinct().length >= children.length + 1, 30_000, 50);
    expect(regulator.distinct().map((d) => d.body.data.traceCode).sort()).toEqual([parent, ...children.map((c) => c.traceCode)].sort());
    if (process.env.REPORT_WEBHOOK_LATENCY) {
      const late = subscribers.flatMap((s) => s.r.distinct().map((d) => d.at - answered)).sort((a, b) => a - b);
      process.stdout.write(`webhook latency after the command's answer: p50 ${Math.round(late[Math.floor(late.length / 2)])} ms, p99 ${Math.round(late[Math.ceil(late.length * 0.99) - 1])} ms, max ${Math.round(late[late.length - 1])} ms (${late.length} deliveries)\n`);
    }
    // The subscription shows what it delivered.
    const shown = await t.as(t.tokens.regulator).get(`/api/subscriptions/${watching.id}`).expect(200);
    expect(shown.body.deliveries).toMatchObject({ delivered: children.length + 1, dead: 0, pending: 0 });
    expect(shown.body).not.toHaveProperty('secret');
    // And so does /metrics, every state of it.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const metrics = await scrape(t.app.getHttpServer() as App);
    expect(valueOf(metrics, 'coldtrace_webhook_deliveries', { subscription: watching.id, state: 'delivered' })).toBe(children.length + 1);
    expect(valueOf(metrics, 'coldtrace_webhook_deliveries', { subscription: watching.id, state: 'dead' })).toBe(0);
  });

  it("a recall's page says, per lot, whether its holder's own subscribers were told: delivered with when, failed, or none (a regulator's subscription does not count)", async () => {
    interface Told {
      subscribers: number;
      delivered: number;
      firstDeliveredAt: string | null;
      pending: number;
      failed: number;
    }
    interface Lot {
      traceCode: string;
      holderWhenRecalled: string | null;
      told: Told | null;
    }
    const listening = `RS-${uid()}-OK`;
    const refusing = `RS-${uid()}-GONE`;
    for (const s of [listening, refusing]) await registerStore(t, s);
    const ok = await receiver();
    const gone = await receiver();
    gone.mode = 410;
    await subscribe((await t.issueKey('OPERATOR', [listening])).token, { url: ok.url, events: ['lot.recalled'] });
    await subscribe((await t.issueKey('OPERATOR', [refusing])).token, { url: gone.url, events: ['lot.recalled'] });
    const { parent, children } = await familyAtStores(t, n, [listening, refusing]);
    // The regulator hears of the parent at the market, which has no subscription of its own.
    const regulator = await receiver();
    await subscribe((await t.issueKey('REGULATOR')).token, { url: regulator.url, events: ['lot.recalled'], query: { traceCodes: [parent] } });

    const before = new Date();
    const recalled = await t.http().post(`/api/lots/${parent}/recall`).send({ reason: 'Listeria in the cutting room' }).expect(201);
    const recallId = recalled.body.recallId as string;
    await waitFor('the regulator told of the parent', async () => regulator.distinct().length === 1, 30_000, 50);

    // Page after page (8 a page): each page's lots carry their own `told`.
    const lots = async (): Promise<Lot[]> => {
      const all: Lot[] = [];
      let cursor: string | null = null;
      do {
        const page = await t.http().get(`/api/recalls/${recallId}?limit=8${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        all.push(...(page.body.lots as Lot[]));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      return all;
    };
    const settled = await waitFor(
      'every delivery settled',
      async () => {
        const all = await lots();
        const stores = all.filter((l) => l.traceCode !== parent);
        return all.length === children.length + 1 && stores.every((l) => l.told !== null && l.told.pending === 0) ? all : undefined;
      },
      30_000,
      100,
    );
    const byCode = new Map(settled.map((l) => [l.traceCode, l]));
    expect(byCode.get(parent)).toMatchObject({ holderWhenRecalled: n.market, told: null });
    for (const c of children) {
      const lot = byCode.get(c.traceCode)!;
      expect(lot.holderWhenRecalled).toBe(c.store);
      if (c.store === listening) {
        expect(lot.told).toEqual({ subscribers: 1, delivered: 1, firstDeliveredAt: expect.any(String), pending: 0, failed: 0 });
        const at = new Date(lot.told!.firstDeliveredAt!);
        expect(at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
        expect(at.getTime()).toBeLessThanOrEqual(Date.now());
      } else {
        expect(lot.told).toEqual({ subscribers: 1, delivered: 0, firstDeliveredAt: null, pending: 0, failed: 1 });
      }
    }
    expect(ok.distinct().map((d) => d.body.data.traceCode).sort()).toEqual(children.filter((c) => c.store === listening).map((c) => c.traceCode).sort());
  });

  it('a store subscribed to lot.temperature_excursion is told of an excursion and of the abuse that holds its lot, once each', async () => {
    const store = `RS-T-${uid()}`;
    await registerStore(t, store);
    const { traceCode } = await registerLot(t, n);
    await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: store, vehicle: { plate: 'TRUCK-1' }, occurredAt: minutesAgo(300) });
    await scanOk(t, { traceCode, facilityId: store, action: 'RECEIVE', zoneId: 'BACK-1', occurredAt: minutesAgo(290) });
    const key = await t.issueKey('OPERATOR', [store]);
    const r = await receiver();
    const sub = await subscribe(key.token, { url: r.url, events: ['lot.temperature_excursion'] });
    // Four hours at 5-minute intervals, the first three at -5 °C.
    const start = Date.now() - 245 * 60_000;
    const readings = Array.from({ length: 48 }, (_, i) => ({ at: new Date(start + i * 300_000).toISOString(), celsius: i < 36 ? -5 : -20 }));
    await t.as(key.token).post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'truck-1', readings }).expect(201);
    await t.as(key.token).post(`/api/lots/${traceCode}/temperatures`).send({ deviceId: 'truck-1', readings }).expect(200);
    await waitFor('both notifications', async () => r.received.length >= 2, 20_000);
    const told = r.received.map((x) => x.body as unknown as { type: string; data: { kind: string; held: boolean; traceCode: string; facilityId: string } });
    // Deliveries go out side by side: in no set order.
    expect(told.map((x) => [x.type, x.data.kind, x.data.held, x.data.traceCode, x.data.facilityId]).sort()).toEqual([
      ['lot.temperature_excursion', 'ABUSE', true, traceCode, store],
      ['lot.temperature_excursion', 'EXCURSION', false, traceCode, store],
    ]);
    expect(r.received.every((x) => verifySignature(sub.secret, x))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(r.received).toHaveLength(2);
  });

  it('replays what happened since a position when asked (`since`), and only then', async () => {
    const key = await t.issueKey('REGULATOR');
    const { traceCode, position } = await registerLot(t, n);
    await attachAllPapers(t, traceCode);
    await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-R' } });
    const replaying = await receiver();
    const fresh = await receiver();
    await subscribe(key.token, { url: replaying.url, events: ['lot.dispatched_to_you'], since: position, query: { traceCodes: [traceCode] } });
    await subscribe(key.token, { url: fresh.url, events: ['lot.dispatched_to_you'], query: { traceCodes: [traceCode] } });
    await waitFor('the replay delivered', async () => replaying.received.length === 1, 10_000, 50);
    expect(replaying.received[0].body).toMatchObject({ type: 'lot.dispatched_to_you', data: { traceCode, facilityId: n.warehouse, fromFacilityId: n.port } });
    // From now on, both hear of it.
    await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'DISINFECT' });
    await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'DISPATCH', toFacilityId: n.market });
    await waitFor('both told of the next dispatch', async () => replaying.received.length === 2 && fresh.received.length === 1, 10_000, 50);
    expect(fresh.received.map((d) => d.body.data.facilityId)).toEqual([n.market]);
  });

  it('refuses targets in the operator\'s own network, and subscriptions to facilities not the key\'s', async () => {
    const strict = await createTestApp({ webhooks: { ...WEBHOOKS, allowHttp: false, allowPrivate: [] } }, t);
    try {
      for (const url of ['https://127.0.0.1/hooks', 'https://169.254.169.254/latest/meta-data', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://localhost/x', 'https://192.168.0.10/x']) {
        const res = await strict.as(t.tokens.regulator).post('/api/subscriptions').send({ url, events: ['lot.recalled'] });
        expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 422, code: 'WEBHOOK_URL_NOT_ALLOWED' });
      }
      const plain = await strict.as(t.tokens.regulator).post('/api/subscriptions').send({ url: 'http://example.com/hooks', events: ['lot.recalled'] });
      expect({ status: plain.status, code: plain.body.code }).toEqual({ status: 422, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    } finally {
      await strict.close();
    }
    // Even with WEBHOOK_ALLOW_PRIVATE naming loopback, the metadata service stays out of reach.
    const metadata = await t.as(t.tokens.regulator).post('/api/subscriptions').send({ url: 'http://169.254.169.254/latest', events: ['lot.recalled'] });
    expect({ status: metadata.status, code: metadata.body.code }).toEqual({ status: 422, code: 'WEBHOOK_URL_NOT_ALLOWED' });
    const key = await t.issueKey('OPERATOR', [n.store]);
    const foreign = await t.as(key.token).post('/api/subscriptions').send({ url: 'http://127.0.0.1:9/x', events: ['lot.recalled'], facilityIds: [n.market] });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const bad = await t.as(key.token).post('/api/subscriptions').send({ url: 'http://127.0.0.1:9/x', events: ['lot.exploded'], extra: 1 });
    expect({ status: bad.status, code: bad.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const admin = await t.as(t.tokens.admin).post('/api/subscriptions').send({ url: 'http://127.0.0.1:9/x', events: ['lot.recalled'] });
    expect(admin.status).toBe(403);
    // Another key's subscription is not found, as an unknown one.
    const mine = await subscribe(key.token, { url: 'http://127.0.0.1:9/x', events: ['lot.recalled'] });
    for (const path of [`/api/subscriptions/${mine.id}`, `/api/subscriptions/${mine.id}/deliveries`, '/api/subscriptions/not-a-uuid']) {
      const res = await t.as(t.tokens.regulator).get(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'SUBSCRIPTION_NOT_FOUND' });
    }
    expect((await t.as(key.token).get('/api/subscriptions').expect(200)).body.items.map((s: { id: string }) => s.id)).toEqual([mine.id]);
    await t.as(key.token).delete(`/api/subscriptions/${mine.id}`).expect(200);
    expect((await t.as(key.token).get('/api/subscriptions').expect(200)).body.items).toEqual([]);
  });

  it('a receiver down for 30 s, then up: every delivery arrives, none twice by webhook-id', async () => {
    const r = await receiver();
    await r.down();
    const key = await t.issueKey('OPERATOR', [n.market]);
    const sub = await subscribe(key.token, { url: r.url, events: ['lot.dispatched_to_you'] });
    const lots: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { traceCode } = await registerLot(t, n);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-2' } });
      lots.push(traceCode);
    }
    await waitFor('attempts made while it is down', async () => {
      const res = await t.as(key.token).get(`/api/subscriptions/${sub.id}/deliveries`).expect(200);
      return res.body.items.length === lots.length && res.body.items.every((d: { attempts: unknown[] }) => d.attempts.length >= 2);
    }, 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await r.up();
    await waitFor('every delivery arrived', async () => r.distinct().length === lots.length, 20_000, 100);
    // Quiet for longer than the longest backoff: nothing comes twice.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(r.received.length).toBe(lots.length);
    expect(r.distinct().map((d) => d.body.data.traceCode).sort()).toEqual([...lots].sort());
    for (const d of r.received) expect(verifySignature(sub.secret, d)).toBe(true);
  }, 90_000);

  it('a receiver too slow to answer holds up no other receiver', async () => {
    const slow = await receiver();
    slow.delayMs = 7_000;
    const quick = await receiver();
    const key = await t.issueKey('REGULATOR');
    const tag = uid();
    await subscribe(key.token, { url: slow.url, events: ['lot.dispatched_to_you'], facilityIds: [n.market], query: { traceCodes: Array.from({ length: 8 }, (_, i) => `SLOW-${tag}-${i}`) } });
    await subscribe(key.token, { url: quick.url, events: ['lot.dispatched_to_you'], facilityIds: [n.market], query: { traceCodes: Array.from({ length: 8 }, (_, i) => `SLOW-${tag}-${i}`) } });
    for (let i = 0; i < 8; i++) {
      const { traceCode } = await registerLot(t, n, `SLOW-${tag}-${i}`);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-S' } });
    }
    // Every one reached the quick receiver while the slow one had not answered a single attempt (each times out at 5 s).
    await waitFor('the quick receiver told of all 8', async () => quick.received.length === 8, 20_000, 20);
    expect(slow.answered).toBe(0);
    expect(slow.started).toBeGreaterThan(0);
    expect(slow.started).toBeLessThanOrEqual(4);
  });

  it('a receiver answering 500 forever is dead-lettered after the retry window, visible, and `retry` delivers it once it recovers', async () => {
    // A database of its own: every process sharing one would judge the window by its own setting.
    const short = await createTestApp({ webhooks: { ...WEBHOOKS, retry: { minMs: 100, maxMs: 400, forMs: 2_000 } } });
    try {
      const net = await registerNetwork(short);
      const r = await receiver();
      r.mode = 500;
      const key = await short.issueKey('OPERATOR', [net.warehouse]);
      const created = await short.as(key.token).post('/api/subscriptions').send({ url: r.url, events: ['lot.dispatched_to_you'] }).expect(201);
      const sub = created.body as Created;
      const { traceCode } = await registerLot(short, net);
      await scanOk(short, { traceCode, facilityId: net.port, action: 'DISPATCH', toFacilityId: net.warehouse, vehicle: { plate: 'TRUCK-3' } });
      const dead = await waitFor('dead-lettered', async () => {
        const res = await short.as(key.token).get(`/api/subscriptions/${sub.id}/deliveries?state=dead`).expect(200);
        return res.body.items.length === 1 ? res.body.items[0] : undefined;
      }, 30_000, 100);
      expect(dead.attempts.length).toBeGreaterThan(3);
      expect(dead.attempts.every((a: { status: number }) => a.status === 500)).toBe(true);
      expect(dead.attempts[0].responseBody).toBe('not now');
      expect(r.received).toEqual([]);
      const notDead = await short.as(key.token).post(`/api/subscriptions/${sub.id}/deliveries/${dead.id}/retry`);
      expect(notDead.status).toBe(202);
      const again = await short.as(key.token).post(`/api/subscriptions/${sub.id}/deliveries/${dead.id}/retry`);
      expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'DELIVERY_NOT_RETRYABLE' });
      r.mode = 'ok';
      await waitFor('delivered after the retry', async () => r.received.length === 1, 20_000, 50);
      expect(r.received[0].id).toBe(dead.webhookId);
      const stats = await short.as(key.token).get(`/api/subscriptions/${sub.id}`).expect(200);
      expect(stats.body.deliveries).toMatchObject({ delivered: 1, dead: 0 });
    } finally {
      await short.close();
    }
  }, 60_000);

  it('a revoked key\'s subscription stops; an OPERATOR never hears of another firm\'s lot', async () => {
    const r = await receiver();
    const other = await receiver();
    const tag = uid();
    const elsewhere = await registerNetwork(t, tag);
    const mine = await t.issueKey('OPERATOR', [n.market]);
    const theirs = await t.issueKey('OPERATOR', [elsewhere.market]);
    await subscribe(mine.token, { url: r.url, events: ['lot.dispatched_to_you'] });
    const theirSub = await subscribe(theirs.token, { url: other.url, events: ['lot.dispatched_to_you'] });
    const ours = await registerLot(t, n);
    const foreign = await registerLot(t, elsewhere);
    await scanOk(t, { traceCode: ours.traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-4' } });
    await scanOk(t, { traceCode: foreign.traceCode, facilityId: elsewhere.port, action: 'DISPATCH', toFacilityId: elsewhere.market, vehicle: { plate: 'TRUCK-5' } });
    await waitFor('both told', async () => r.received.length >= 1 && other.received.length >= 1, 10_000, 50);
    expect(r.received.map((d) => d.body.data.traceCode)).toEqual([ours.traceCode]);
    expect(other.received.map((d) => d.body.data.traceCode)).toEqual([foreign.traceCode]);
    await t.as(t.tokens.admin).delete(`/api/keys/${theirs.id}`).expect(200);
    // Revoked everywhere within AUTH_REFRESH_MS: its token is refused from then on.
    await waitFor('the key refused', async () => (await t.as(theirs.token).get('/api/subscriptions')).status === 401, 5_000, 20);
    const later = await registerLot(t, elsewhere);
    await scanOk(t, { traceCode: later.traceCode, facilityId: elsewhere.port, action: 'DISPATCH', toFacilityId: elsewhere.market, vehicle: { plate: 'TRUCK-6' } });
    const ourLater = await registerLot(t, n);
    await scanOk(t, { traceCode: ourLater.traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.market, vehicle: { plate: 'TRUCK-7' } });
    await waitFor('ours told of the later lot', async () => r.received.length >= 2, 10_000, 50);
    expect(other.received.map((d) => d.body.data.traceCode)).toEqual([foreign.traceCode]);
    const rows: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND state = 'delivered'`, [theirSub.id]);
    expect(rows[0].n).toBe(1);
  });
});
