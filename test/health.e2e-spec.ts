import { captureLogs } from './support/logs';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * Liveness and readiness (embedded mode; the database outage is in
 * database-unavailable.e2e-spec.ts, the broker's in kafka/broker-outage).
 * `/api/health/live` is 200 while the process serves; `/api/health/ready` is
 * 200 with each part's state, and 503 NOT_READY naming the failing parts: here
 * a projection whose batches fail, then projections stopped. Public, like
 * `/api/health`, which keeps its shape.
 */
describe('health: live and ready (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  // The failing projection logs errors on purpose: kept here, not printed.
  const logs = captureLogs();
  const PROJECTIONS = ['projection:lot-summary', 'projection:lot-history', 'projection:sale-eligibility', 'projection:recalls'];

  beforeAll(async () => {
    t = await createTestApp({}, undefined, { log: logs.log });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('live: 200, no token needed', async () => {
    const res = await t.anonymous().get('/api/health/live').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('ready: 200 with the database and every projection up; /api/health keeps its shape', async () => {
    const res = await t.anonymous().get('/api/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.mode).toBe('embedded');
    expect(Object.keys(res.body.checks).sort()).toEqual(['database', ...PROJECTIONS].sort());
    for (const part of Object.values(res.body.checks)) expect(part).toEqual(expect.objectContaining({ status: 'up' }));
    expect(res.body.checks.database).toEqual(expect.objectContaining({ headPosition: expect.any(Number) }));

    const health = await t.anonymous().get('/api/health').expect(200);
    expect(health.body).toEqual(expect.objectContaining({ status: 'ok', mode: 'embedded', database: 'up', headPosition: expect.any(Number), projections: expect.any(Object) }));
  });

  it('ready: 503 NOT_READY naming the projection whose batches fail, 200 again once it recovers', async () => {
    // The lot history projection's table gone: its next batch fails, and keeps failing until the table is back.
    await t.dataSource.query('ALTER TABLE lot_history RENAME TO lot_history_away');
    try {
      const n = await registerNetwork(t);
      await registerLot(t, n);
      await waitFor('readiness to report the lot history projection', async () => (await t.anonymous().get('/api/health/ready')).status === 503);
      const res = await t.anonymous().get('/api/health/ready').expect(503);
      expect(res.body).toEqual({
        code: 'NOT_READY',
        message: 'not ready: projection:lot-history',
        details: expect.objectContaining({ status: 'error', failing: ['projection:lot-history'] }),
      });
      expect(res.body.details.checks['projection:lot-history']).toEqual(expect.objectContaining({ status: 'down', running: true, lastError: expect.stringContaining('lot_history') }));
      expect(res.body.details.checks.database.status).toBe('up');
      await t.anonymous().get('/api/health/live').expect(200);
      // The worker's failures were logged as errors (captured here).
      expect(logs.errors().some((l) => String(l.msg).includes('subscription projection:lot-history failed'))).toBe(true);
    } finally {
      await t.dataSource.query('ALTER TABLE lot_history_away RENAME TO lot_history');
    }
    await waitFor('readiness to recover', async () => (await t.anonymous().get('/api/health/ready')).status === 200);
  });

  it('ready: 503 naming every projection once they are stopped', async () => {
    await t.projections.stop();
    const res = await t.anonymous().get('/api/health/ready').expect(503);
    expect(res.body.code).toBe('NOT_READY');
    expect([...res.body.details.failing].sort()).toEqual([...PROJECTIONS].sort());
    for (const p of PROJECTIONS) expect(res.body.details.checks[p]).toEqual(expect.objectContaining({ status: 'down', running: false }));
    // A 503 is a warning in the access log, not an error.
    const line = logs.lines.filter((l) => l.route === '/api/health/ready' && l.status === 503).at(-1);
    expect(line).toEqual(expect.objectContaining({ level: 'warn', method: 'GET' }));
  });
});
