import type { Response } from 'supertest';
import { captureLogs, type CapturedLogs } from './support/logs';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, uid, walkToStore, type Network } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * The retailer's read is answered from memory, before Nest's pipeline, once
 * its token and the lot's answer are there (sale-eligibility.fast-lane.ts).
 * Every answer must still be the route's: the same status, headers and body
 * as through the route itself (an empty query string goes there), the same
 * refusals, the same access line.
 */
describe('the eligibility read answered from memory (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let logs: CapturedLogs;
  let n: Network;
  let traceCode: string;
  let path: string;

  /** All of an answer but what differs per request (its id, its time). */
  const answered = (res: Response) => {
    const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
    const body = typeof res.body === 'object' && res.body !== null ? { ...res.body, evaluatedAt: res.body.evaluatedAt === undefined ? undefined : 'now' } : res.body;
    return { status: res.status, headers, body };
  };

  beforeAll(async () => {
    logs = captureLogs();
    t = await createTestApp({}, undefined, { log: logs.log });
    n = await registerNetwork(t);
    ({ traceCode } = await registerLot(t, n));
    const stored = await walkToStore(t, n, traceCode);
    path = `/api/lots/${traceCode}/sale-eligibility`;
    await t.http().get(`${path}?atLeast=${stored.position}`).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers as the route does, and logs the same access line', async () => {
    const till = await t.issueKey('OPERATOR', [n.store], 'till 1');
    const first = await t.as(till.token).get(path).expect(200);
    const again = await t.as(till.token).get(path).expect(200);
    const viaRoute = await t.as(till.token).get(`${path}?`).expect(200);
    expect(answered(again)).toEqual(answered(first));
    expect(answered(again)).toEqual(answered(viaRoute));
    expect(again.body).toMatchObject({ traceCode, allowed: true, reasons: [] });
    const line = logs.lines.find((l) => l.requestId === again.headers['x-request-id']);
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/api/lots/:traceCode/sale-eligibility', status: 200, keyId: till.id });
  });

  it('refuses as the route does when the token and the answer are both in memory', async () => {
    // A firm whose facilities the lot never came near: 404, as for an unknown lot.
    const elsewhere = `RS-${uid()}`;
    await t.http().post('/api/facilities').send({ id: elsewhere, name: 'Another store', type: 'RETAIL_STORE', zones: [{ id: 'IN', kind: 'DEDICATED_INTAKE' }, { id: 'SALES', kind: 'DEDICATED_SALES' }] }).expect(201);
    const stranger = await t.issueKey('OPERATOR', [elsewhere], 'another firm');
    const unknown = await t.as(stranger.token).get(`/api/lots/NO-SUCH-${uid()}/sale-eligibility`).expect(404);
    for (let i = 0; i < 2; i++) {
      const res = await t.as(stranger.token).get(path).expect(404);
      expect(res.body).toEqual({ ...unknown.body, message: expect.any(String), details: { traceCode } });
      expect(res.body.code).toBe('LOT_NOT_FOUND');
    }
    // A role the route does not allow: 403 each time.
    const admin = await t.issueKey('ADMIN', undefined, 'an admin key');
    const refused = await t.as(admin.token).get(path).expect(403);
    expect(answered(await t.as(admin.token).get(path))).toEqual(answered(refused));
    expect(refused.body.code).toBe('FORBIDDEN');
    // A revoked key stops working once the store has seen the revocation, answered from memory or not.
    const till = await t.issueKey('OPERATOR', [n.store], 'till 2');
    await t.as(till.token).get(path).expect(200);
    await t.as(till.token).get(path).expect(200);
    await t.as(t.tokens.admin).delete(`/api/keys/${till.id}`).expect(200);
    await waitFor('the revoked key to be refused', async () => (await t.as(till.token).get(path)).status === 401, 5000, 20);
    expect((await t.as(till.token).get(path).expect(401)).body.code).toBe('UNAUTHENTICATED');
  });
});
