import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * The eligibility read keeps rows in memory until their projection announces
 * a change (NOTIFY at its commit). A cached answer must never outlive the row:
 * not when this process projects, not when another one does, not while the
 * listener is down.
 */
describe('eligibility rows kept in memory (e2e, real PostgreSQL)', () => {
  let a: TestApp;
  let b: TestApp;
  let n: Network;

  const codes = async (t: TestApp, traceCode: string): Promise<string[]> => {
    const res = await t.http().get(`/api/lots/${traceCode}/sale-eligibility`).expect(200);
    return res.body.reasons.map((r: { code: string }) => r.code);
  };

  beforeAll(async () => {
    a = await createTestApp();
    // A second process on the same database; only `a` runs the projections.
    b = await createTestApp({}, a);
    await b.projections.stop();
    n = await registerNetwork(a);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a change shows in both processes without ?atLeast=, whichever process projected it', async () => {
    const { traceCode, position } = await registerLot(a, n);
    await a.http().get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`).expect(200);
    // Read (and kept) in both processes.
    expect(await codes(a, traceCode)).not.toContain('LOT_LOCKED');
    expect(await codes(b, traceCode)).not.toContain('LOT_LOCKED');
    await b.http().post(`/api/lots/${traceCode}/lock`).send({ reason: 'suspect shipment' }).expect(200);
    await waitFor('process a to show the lock', async () => (await codes(a, traceCode)).includes('LOT_LOCKED'), 5000, 20);
    await waitFor('process b to show the lock', async () => (await codes(b, traceCode)).includes('LOT_LOCKED'), 5000, 20);
  });

  it('with the listener cut off, nothing is served from memory until it listens again', async () => {
    const { traceCode, position } = await registerLot(a, n);
    await b.http().get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`).expect(200);
    expect(await codes(b, traceCode)).not.toContain('LOT_LOCKED');
    // Cut every listening connection (both processes'), then change the lot at once.
    await a.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN coldtrace_read_models'`);
    const locked = await a.http().post(`/api/lots/${traceCode}/lock`).send({ reason: 'suspect shipment' }).expect(200);
    await a.http().get(`/api/lots/${traceCode}?atLeast=${locked.body.position}`).expect(200);
    await waitFor('process b to show the lock', async () => (await codes(b, traceCode)).includes('LOT_LOCKED'), 5000, 20);
    // Listening again: a later change still reaches the readers.
    await waitFor('the listeners to be back', async () => (await a.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN coldtrace_read_models'`))[0].n >= 2, 10_000, 100);
    expect(await codes(b, traceCode)).toContain('LOT_LOCKED');
    await a.http().post(`/api/lots/${traceCode}/unlock`).send({ reason: 'cleared' }).expect(200);
    await waitFor('process b to show the unlock', async () => !(await codes(b, traceCode)).includes('LOT_LOCKED'), 5000, 20);
  });
});
