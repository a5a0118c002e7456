import request from 'supertest';
import type { App } from 'supertest/types';
import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork, scan, scanBody, walkToStore } from './support/fixtures';
import { countOf, family, labelsOf, scrape, valueOf } from './support/metrics';
import { waitFor } from './support/wait-for';

/** GET /metrics of the api (embedded mode): Prometheus text, read back by a Prometheus parser, counters moving with what happens. */
describe('GET /metrics on the api (e2e)', () => {
  let t: TestApp;
  let n: Network;
  let server: App;

  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.getHttpServer() as App;
    n = await registerNetwork(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is served outside /api, without an API key, with process metrics and every metric family', async () => {
    const s = await scrape(server);
    expect(valueOf(s, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(s, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(family(s, 'coldtrace_http_request_duration_seconds').type).toBe('HISTOGRAM');
    for (const name of ['coldtrace_commands_total', 'coldtrace_events_appended_total']) expect(family(s, name).type).toBe('COUNTER');
    for (const name of ['coldtrace_projection_position', 'coldtrace_projection_lag_events', 'coldtrace_projection_lag_seconds']) {
      expect(family(s, name).type).toBe('GAUGE');
    }
    // Not under the API's prefix; and the rest of the world still gets the JSON 404.
    await request(server).get('/api/metrics').expect(404);
    const elsewhere = await request(server).get('/metricsx').expect(404);
    expect(elsewhere.body).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'no such route' });
  });

  it('a scan moves the command, event and HTTP counters (labelled by route pattern, not URL)', async () => {
    const { traceCode } = await registerLot(t, n);
    const before = await scrape(server);
    const scanned = await scan(t, { traceCode, facilityId: n.port, action: 'DISINFECT' }).expect(201);
    // atLeast: the lot's read model may not have caught up with its registration yet.
    await t.http().get(`/api/lots/${traceCode}?atLeast=${scanned.body.position}`).expect(200);
    const after = await scrape(server);

    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta('coldtrace_commands_total', { type: 'RecordScan', outcome: 'OK' })).toBe(1);
    expect(delta('coldtrace_events_appended_total', { stream_type: 'lot' })).toBeGreaterThanOrEqual(1);
    const http = (labels: Record<string, string>) =>
      countOf(after, 'coldtrace_http_request_duration_seconds', labels) - countOf(before, 'coldtrace_http_request_duration_seconds', labels);
    expect(http({ method: 'POST', route: '/api/scans', status: '201' })).toBe(1);
    expect(http({ method: 'GET', route: '/api/lots/:traceCode', status: '200' })).toBe(1);
    // No series per lot: the trace code never becomes a label value.
    expect(labelsOf(after, 'coldtrace_http_request_duration_seconds').some((l) => Object.values(l).some((v) => v.includes(traceCode)))).toBe(false);
    // The 404s above have one series for every unrouted path.
    expect(countOf(after, 'coldtrace_http_request_duration_seconds', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(2);
  });

  it('a retried scan counts as REPLAYED, not as a second OK', async () => {
    const { traceCode } = await registerLot(t, n);
    const body = scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE' });
    await t.http().post('/api/scans').send(body).expect(201);
    const before = await scrape(server);
    await t.http().post('/api/scans').send(body).expect(201);
    const after = await scrape(server);
    const delta = (outcome: string) =>
      valueOf(after, 'coldtrace_commands_total', { type: 'RecordScan', outcome }) - valueOf(before, 'coldtrace_commands_total', { type: 'RecordScan', outcome });
    expect({ ok: delta('OK'), replayed: delta('REPLAYED') }).toEqual({ ok: 0, replayed: 1 });
    expect(valueOf(after, 'coldtrace_events_appended_total')).toBe(valueOf(before, 'coldtrace_events_appended_total'));
  });

  it('a refused sale counts once per blocking reason code, and as a SALE_BLOCKED command', async () => {
    const { traceCode } = await registerLot(t, n);
    await walkToStore(t, n, traceCode);
    const before = await scrape(server);
    // More than the lot holds: refused, with the reasons named.
    const refused = await scan(t, { traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 101 }).expect(422);
    expect(refused.body.code).toBe('SALE_BLOCKED');
    const reasons = [...new Set((refused.body.details.reasons as { code: string }[]).map((r) => r.code))];
    expect(reasons.length).toBeGreaterThan(0);
    const after = await scrape(server);
    for (const reason of reasons) {
      expect({ reason, delta: valueOf(after, 'coldtrace_sale_refusals_total', { reason }) - valueOf(before, 'coldtrace_sale_refusals_total', { reason }) }).toEqual({
        reason,
        delta: 1,
      });
    }
    const blocked = { type: 'RecordScan', outcome: 'SALE_BLOCKED' };
    expect(valueOf(after, 'coldtrace_commands_total', blocked) - valueOf(before, 'coldtrace_commands_total', blocked)).toBe(1);
  });

  it('auth refusals are counted by code', async () => {
    const before = await scrape(server);
    await t.anonymous().get('/api/lots').expect(401);
    await t.as('ct_not-a-real-token-at-all').get('/api/lots').expect(401);
    await t.as(t.tokens.regulator).post('/api/facilities').send({}).expect(403);
    const after = await scrape(server);
    const delta = (code: string) => valueOf(after, 'coldtrace_auth_refusals_total', { code }) - valueOf(before, 'coldtrace_auth_refusals_total', { code });
    expect({ unauthenticated: delta('UNAUTHENTICATED'), forbidden: delta('FORBIDDEN') }).toEqual({ unauthenticated: 2, forbidden: 1 });
  });

  it("each in-process projection's position and lag, caught up after the writes", async () => {
    const { position } = await registerLot(t, n);
    const s = await waitFor(
      'every projection caught up',
      async () => {
        const s = await scrape(server);
        const projections = labelsOf(s, 'coldtrace_projection_position').map((l) => l.projection);
        // A scrape may answer from the read of the one before it (sharedScrape keeps a read for 1 s): wait for one that has seen the write.
        const caughtUp = (projection: string) =>
          valueOf(s, 'coldtrace_projection_lag_events', { projection }) === 0 && valueOf(s, 'coldtrace_projection_position', { projection }) >= position;
        return projections.length > 0 && projections.every(caughtUp) ? s : null;
      },
      10_000,
      100,
    );
    const projections = labelsOf(s, 'coldtrace_projection_position').map((l) => l.projection);
    expect(projections).toEqual(expect.arrayContaining(t.projections.projections.map((p) => p.name)));
    for (const projection of projections) {
      expect(valueOf(s, 'coldtrace_projection_position', { projection })).toBeGreaterThanOrEqual(position);
      expect(valueOf(s, 'coldtrace_projection_lag_seconds', { projection })).toBe(0);
    }
  });

  it('METRICS_TOKEN, when set, is asked for (401 without it or with a wrong one)', async () => {
    const metricsToken = 'metrics-secret-0123456789abcdef';
    const guarded = await createTestApp({ metricsToken }, t);
    try {
      const s = guarded.app.getHttpServer() as App;
      const none = await request(s).get('/metrics').expect(401);
      expect(none.body).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
      await request(s).get('/metrics').set('authorization', 'Bearer not-the-metrics-token').expect(401);
      // An API key is no metrics token.
      await request(s).get('/metrics').set('authorization', `Bearer ${t.tokens.admin}`).expect(401);
      expect(family(await scrape(s, metricsToken), 'coldtrace_commands_total')).toBeDefined();
    } finally {
      await guarded.close();
    }
  });
});
