import request from 'supertest';
import type { App } from 'supertest/types';
import { captureLogs, type LogLine } from './support/logs';
import { createTestApp, TestApp } from './support/test-app';
import { minutesAgo, Network, registerLot, registerNetwork, scanBody, uid } from './support/fixtures';

/**
 * Every request gets an id: the caller's `x-request-id` when it is a safe one
 * (else a fresh UUID, never a refusal), echoed in the response, stored in the
 * metadata of every event the request wrote, and carried by its one JSON
 * access line (method, route, status, durationMs, keyId; never the token).
 * Answers given before routing (404, 415, 413) get an id and a line too.
 */
describe('request ids and the access log (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  const logs = captureLogs();

  const ORIGIN = 'https://retailer.example';
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  /** The access line of the request with this id (there is exactly one). */
  const accessLine = (requestId: string): LogLine => {
    const lines = logs.lines.filter((l) => l.requestId === requestId && typeof l.status === 'number');
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  const eventsOf = async (requestId: string): Promise<{ type: string; metadata: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT type, metadata FROM events WHERE metadata->>'requestId' = $1 ORDER BY global_position`, [requestId]);

  beforeAll(async () => {
    t = await createTestApp({ corsOrigins: [ORIGIN] }, undefined, { log: logs.log });
    n = await registerNetwork(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('x-request-id: abc-123 is echoed, stored on the event the scan wrote, and on one JSON access line with no token', async () => {
    const { traceCode } = await registerLot(t, n);
    const key = await t.issueKey('OPERATOR', [n.port], 'port scanner');
    const res = await t
      .as(key.token)
      .post('/api/scans')
      .set('x-request-id', 'abc-123')
      .send(scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE' }))
      .expect(201);
    expect(res.headers['x-request-id']).toBe('abc-123');

    const events = await eventsOf('abc-123');
    expect(events.map((e) => e.type)).toEqual(['LotSampled']);
    expect(events[0].metadata).toEqual(expect.objectContaining({ requestId: 'abc-123', actor: expect.objectContaining({ keyId: key.id }) }));

    const line = accessLine('abc-123');
    expect(line).toEqual(
      expect.objectContaining({
        level: 'info',
        service: 'api',
        method: 'POST',
        route: '/api/scans',
        status: 201,
        durationMs: expect.any(Number),
        keyId: key.id,
        requestId: 'abc-123',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(JSON.stringify(logs.lines)).not.toContain(key.token);
  });

  it('the route is the pattern, not the path; a read writes no event; the correlation id defaults to the request id', async () => {
    const { traceCode, position } = await registerLot(t, n);
    const res = await t.as(t.tokens.regulator).get(`/api/lots/${traceCode}?atLeast=${position}`).set('x-request-id', `read-${traceCode}`).expect(200);
    expect(res.headers['x-request-id']).toBe(`read-${traceCode}`);
    expect(accessLine(`read-${traceCode}`)).toEqual(expect.objectContaining({ method: 'GET', route: '/api/lots/:traceCode', status: 200 }));
    expect(await eventsOf(`read-${traceCode}`)).toEqual([]);

    const lock = await t
      .as(t.tokens.regulator)
      .post(`/api/lots/${traceCode}/lock`)
      .set('x-request-id', `lock-${traceCode}`)
      .send({ reason: 'request id test' });
    expect(lock.status).toBeLessThan(300);
    const [event] = await eventsOf(`lock-${traceCode}`);
    expect(event.metadata).toEqual(expect.objectContaining({ requestId: `lock-${traceCode}`, correlationId: `lock-${traceCode}` }));
  });

  it('an invalid x-request-id is replaced by a fresh UUID, never refused', async () => {
    for (const bad of ['has spaces', 'x'.repeat(129), 'quote"s', 'semi;colon', '{"json":1}']) {
      const res = await t.anonymous().get('/api/health/live').set('x-request-id', bad).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
    const none = await t.anonymous().get('/api/health/live').expect(200);
    expect(none.headers['x-request-id']).toMatch(UUID);
  });

  it('every scan of a batch carries the batch request\'s id', async () => {
    const lots = [(await registerLot(t, n)).traceCode, (await registerLot(t, n)).traceCode];
    const scans = lots.map((traceCode) => ({ ...scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE' }), scanId: `RID-${uid()}`, occurredAt: minutesAgo(2) }));
    const res = await t.http().post('/api/scans/batch').set('x-request-id', 'batch-42').send({ scans }).expect(200);
    expect(res.headers['x-request-id']).toBe('batch-42');
    const events = await eventsOf('batch-42');
    expect(events).toHaveLength(2);
    expect(accessLine('batch-42')).toEqual(expect.objectContaining({ route: '/api/scans/batch', status: 200 }));
  });

  it('answers given before routing (404, 415, 413) carry an id and an access line; a 401 has no key id', async () => {
    const notFound = await t.anonymous().get('/nowhere').set('x-request-id', 'nf-1').expect(404);
    expect(notFound.headers['x-request-id']).toBe('nf-1');
    expect(accessLine('nf-1')).toEqual(expect.objectContaining({ method: 'GET', route: null, status: 404, keyId: null }));

    const form = await t.http().post('/api/scans').set('x-request-id', 'form-1').set('content-type', 'text/plain').send('hello').expect(415);
    expect(form.headers['x-request-id']).toBe('form-1');
    expect(accessLine('form-1')).toEqual(expect.objectContaining({ status: 415 }));

    const big = await t.http().post('/api/lots').set('x-request-id', 'big-1').send({ pad: 'x'.repeat(200_000) }).expect(413);
    expect(big.headers['x-request-id']).toBe('big-1');
    expect(accessLine('big-1')).toEqual(expect.objectContaining({ status: 413 }));

    await t.anonymous().get('/api/lots/X').set('authorization', 'Bearer ct_not-a-real-token').set('x-request-id', 'anon-1').expect(401);
    expect(accessLine('anon-1')).toEqual(expect.objectContaining({ status: 401, keyId: null }));
    expect(JSON.stringify(logs.lines)).not.toContain('ct_not-a-real-token');
  });

  it('browsers may send x-request-id and read it back (CORS)', async () => {
    const preflight = await request(t.app.getHttpServer() as App)
      .options('/api/scans')
      .set('origin', ORIGIN)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization, content-type, x-request-id');
    expect(preflight.status).toBeLessThan(300);
    expect(String(preflight.headers['access-control-allow-headers']).split(',')).toContain('x-request-id');
    const res = await t.anonymous().get('/api/health/live').set('origin', ORIGIN).set('x-request-id', 'cors-1').expect(200);
    expect(res.headers['access-control-expose-headers']).toBe('x-request-id');
    expect(res.headers['x-request-id']).toBe('cors-1');
  });

  it('nothing in this file logged an error', async () => {
    expect(logs.errors()).toEqual([]);
  });
});
