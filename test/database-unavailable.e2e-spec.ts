import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import type { Response, Test } from 'supertest';
import { captureLogs } from './support/logs';
import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork, scanBody } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * A stuck database fails requests fast: with the pool's acquire timeout and
 * the statement timeout set to 1 s, a scan, a read and the health check each
 * answer 503 DATABASE_UNAVAILABLE within seconds, both while a superuser holds
 * the tables locked (as a stuck server or a runaway migration would) and while
 * every pooled connection is taken; none is logged as a 500, nothing is
 * written, and everything works again once the block is gone. Meanwhile
 * readiness answers 503 NOT_READY naming the database, liveness 200. What
 * the blocks make the app log (projections failing, warnings) is captured,
 * not printed: the run stays free of ERROR lines.
 */

const TIMEOUT_MS = 1000;
/** Generous for a loaded machine; without the timeouts these requests hang for as long as the block lasts. */
const ANSWER_WITHIN_MS = 10_000;

describe('database unavailable: 503 within seconds, not a hang (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  let lot: string;
  let operator: string;
  const logs = captureLogs();
  const logged = logs.lines;

  const eventCount = async (): Promise<number> =>
    Number(((await t.dataSource.query('SELECT count(*)::int AS n FROM events')) as { n: number }[])[0].n);

  const sampleScan = (scanId: string) => scanBody({ traceCode: lot, facilityId: n.port, action: 'SAMPLE', scanId });

  /** The three requests every block is tried with: a command, a read and the public health check. */
  const probes = (scanId: string): Record<string, () => Test> => ({
    scan: () => t.as(operator).post('/api/scans').send(sampleScan(scanId)),
    read: () => t.as(t.tokens.regulator).get(`/api/lots/${lot}`),
    health: () => t.anonymous().get('/api/health'),
  });

  const expectUnavailableFast = async (scanId: string): Promise<void> => {
    // One after another: each must fail on its own timeout, not on a queue the previous one left.
    for (const [name, probe] of Object.entries(probes(scanId))) {
      const started = Date.now();
      const res: Response = await probe();
      const took = Date.now() - started;
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(typeof res.body.message).toBe('string');
      expect(took).toBeLessThan(ANSWER_WITHIN_MS);
    }
    const ready = await t.anonymous().get('/api/health/ready');
    expect({ status: ready.status, code: ready.body.code }).toEqual({ status: 503, code: 'NOT_READY' });
    expect(ready.body.details.failing).toContain('database');
    expect(ready.body.message).toContain('database');
    await t.anonymous().get('/api/health/live').expect(200);
  };

  const expectWorkingAgain = async (scanId: string, eventsBefore: number): Promise<void> => {
    await waitFor('health to answer 200 again', async () => (await t.anonymous().get('/api/health')).status === 200);
    await waitFor('readiness to answer 200 again', async () => (await t.anonymous().get('/api/health/ready')).status === 200);
    // The same scan the block refused goes through now: the failed attempt left nothing behind.
    const scan = await probes(scanId).scan();
    expect(scan.status).toBe(201);
    const read = await probes(scanId).read();
    expect(read.status).toBe(200);
    expect(await eventCount()).toBe(eventsBefore + 1);
  };

  /** Errors the HTTP layer logged as our own faults (500s) since `from`, and 500 answers in the access log. */
  const internalErrorsSince = (from: number) => logged.slice(from).filter((l) => (l.level === 'error' && l.context === 'HTTP') || (typeof l.status === 'number' && l.status >= 500 && l.status !== 503));

  beforeAll(async () => {
    t = await createTestApp({ poolAcquireTimeoutMs: TIMEOUT_MS, statementTimeoutMs: TIMEOUT_MS }, undefined, { log: logs.log });
    n = await registerNetwork(t);
    const registered = await registerLot(t, n);
    lot = registered.traceCode;
    // Issued up front: while the database is blocked no key can be issued.
    operator = (await t.issueKey('OPERATOR', [n.port])).token;
    await t.as(t.tokens.regulator).get(`/api/lots/${lot}?atLeast=${registered.position}`).expect(200);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('the statement timeout is set on the pooled sessions', async () => {
    const rows: { setting: string }[] = await t.dataSource.query(`SELECT setting FROM pg_settings WHERE name = 'statement_timeout'`);
    expect(rows[0].setting).toBe(String(TIMEOUT_MS));
  });

  it('tables locked by another session: scan, read and health answer 503 DATABASE_UNAVAILABLE within seconds, then recover', async () => {
    const eventsBefore = await eventCount();
    const logsBefore = logged.length;
    const locker = new Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      await locker.query('LOCK TABLE lot_summary IN ACCESS EXCLUSIVE MODE');
      await expectUnavailableFast('SCAN-during-lock');
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    expect(internalErrorsSince(logsBefore)).toEqual([]);
    // Logged while serving a request: the line carries that request's id.
    expect(logged.slice(logsBefore).filter((l) => l.level === 'warn' && l.context === 'HTTP' && String(l.msg).includes('database unavailable'))).toEqual([
      expect.objectContaining({ requestId: expect.any(String) }),
    ]);
    await expectWorkingAgain('SCAN-during-lock', eventsBefore);
  });

  it('every pooled connection taken: scan, read and health answer 503 DATABASE_UNAVAILABLE within seconds, then recover', async () => {
    const eventsBefore = await eventCount();
    const logsBefore = logged.length;
    // Every connection the pool may open, held here: none is left for a request (background work may
    // hold one for a moment while this fills up; then that acquire times out and is tried again).
    const poolSize = (t.dataSource.options.extra as { max: number }).max;
    const held: QueryRunner[] = [];
    try {
      while (held.length < poolSize) {
        const runner = t.dataSource.createQueryRunner();
        try {
          await runner.connect();
          held.push(runner);
        } catch (e) {
          expect((e as Error).message).toMatch(/timeout exceeded when trying to connect/);
        }
      }
      await expectUnavailableFast('SCAN-during-exhaustion');
    } finally {
      await Promise.all(held.map((r) => r.release()));
    }
    expect(internalErrorsSince(logsBefore)).toEqual([]);
    await expectWorkingAgain('SCAN-during-exhaustion', eventsBefore);
  });
});
