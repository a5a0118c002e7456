import { Client, type Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import type { Response, Test } from 'supertest';
import { captureLogs, type LogLine } from './support/logs';
import { type Held, startPgProxy, type PgProxy } from './support/pg-proxy';
import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork, scanBody, uid } from './support/fixtures';
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
 *
 * Then the two ways a command used to outlast that: waits that added up (40
 * scans of one lot queued behind a stuck lock each waited their own timeout)
 * and a connection lost around COMMIT (a 500). Every wait of a command now
 * draws on one deadline, and a lost connection is a 503 the client retries
 * with its idempotency key.
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

/** Errors the HTTP layer logged as our own faults (500s), and 5xx answers other than 503 in the access log. */
const internalErrors = (lines: readonly LogLine[]) =>
  lines.filter((l) => (l.level === 'error' && l.context === 'HTTP') || (typeof l.status === 'number' && l.status >= 500 && l.status !== 503));

/** A scan that records one event on the lot, sent as it is each time (the same body: a retry). */
const sample = (n: Network, traceCode: string, scanId = `S-${uid()}`) => scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE', scanId });

describe('one deadline for every wait of a command (e2e, real PostgreSQL)', () => {
  /** Short, so the test is; far below the statement timeout, so the deadline is what answers. */
  const DEADLINE_MS = 2000;
  /** A loaded machine's slack; without the deadline these waited 30 s (the lock) or forever (the pool). */
  const ANSWERED_WITHIN_MS = DEADLINE_MS + 4000;
  let t: TestApp;
  let n: Network;
  let lot: string;
  const logs = captureLogs();

  const lotEvents = async (traceCode: string): Promise<number> =>
    Number(((await t.dataSource.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`lot-${traceCode}`])) as { n: number }[])[0].n);

  /** Sends them all at once; each answer with how long it took. */
  const timedAll = (requests: (() => Test)[]) =>
    Promise.all(
      requests.map(async (send) => {
        const started = Date.now();
        const res: Response = await send();
        return { status: res.status, code: res.body.code as string | undefined, ms: Date.now() - started };
      }),
    );

  beforeAll(async () => {
    // No acquire timeout and a 30 s statement timeout: only the deadline can end these waits early.
    t = await createTestApp({ commandDeadlineMs: DEADLINE_MS, statementTimeoutMs: 30_000, poolAcquireTimeoutMs: 0 }, undefined, { log: logs.log });
    n = await registerNetwork(t);
    lot = (await registerLot(t, n)).traceCode;
    await t.http().post('/api/scans').send(sample(n, lot)).expect(201);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('40 concurrent scans of one lot behind a locked events table: each 503 DATABASE_UNAVAILABLE within the deadline, none left waiting, nothing recorded; then all 40 record', async () => {
    const scans = Array.from({ length: 40 }, () => sample(n, lot));
    const before = await lotEvents(lot);
    const logsBefore = logs.lines.length;
    const locker = new Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      const answers = await timedAll(scans.map((body) => () => t.http().post('/api/scans').send(body)));
      // One after another in the per-lot queue, each used to wait out the lock's full 30 s.
      expect(answers.filter((a) => a.status !== 503 || a.code !== 'DATABASE_UNAVAILABLE')).toEqual([]);
      expect(answers.filter((a) => a.ms >= ANSWERED_WITHIN_MS)).toEqual([]);
      // The server gave up too: no command of ours still waits for the lock (the one at the head had a statement running).
      await waitFor(
        'no command waiting on the lock',
        async () =>
          Number(
            (
              await locker.query(
                `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`,
              )
            ).rows[0].n,
          ) === 0,
        DEADLINE_MS + 5000,
      );
      await locker.query('ROLLBACK');
    } finally {
      await locker.end();
    }
    expect(await lotEvents(lot)).toBe(before);
    // Each client retries with its scan id: recorded now, once each.
    const retried = await timedAll(scans.map((body) => () => t.http().post('/api/scans').send(body)));
    expect(retried.map((a) => a.status)).toEqual(scans.map(() => 201));
    expect(await lotEvents(lot)).toBe(before + 40);
    expect(internalErrors(logs.lines.slice(logsBefore))).toEqual([]);
  });

  it('every pooled connection taken, no acquire timeout: scans answer 503 within the deadline, and the connections they get later record nothing', async () => {
    const lots = await Promise.all(Array.from({ length: 5 }, async () => (await registerLot(t, n)).traceCode));
    const scans = lots.map((traceCode) => sample(n, traceCode));
    const counts = async () => Promise.all(lots.map(lotEvents));
    const before = await counts();
    const logsBefore = logs.lines.length;
    const pool = (t.dataSource.driver as unknown as { master: Pool }).master;
    // A key issued now: the auto-authenticating client looks facilities up in the database, which will have no connection to give.
    const operator = t.as((await t.issueKey('OPERATOR', [n.port])).token);
    const max = (t.dataSource.options.extra as { max: number }).max;
    // As many takers as the pool has connections, queued before the scans: the pool serves its
    // queue in order, so no scan gets one before they give theirs back (with no acquire timeout,
    // nothing else would end that wait). Each holds its connection once it has one.
    const takers = Array.from({ length: max }, () => {
      const runner = t.dataSource.createQueryRunner();
      return runner.connect().then(() => runner);
    });
    try {
      const answers = await timedAll(scans.map((body) => () => operator.post('/api/scans').send(body)));
      expect(answers.filter((a) => a.status !== 503 || a.code !== 'DATABASE_UNAVAILABLE')).toEqual([]);
      expect(answers.filter((a) => a.ms >= ANSWERED_WITHIN_MS)).toEqual([]);
    } finally {
      await Promise.all(takers.map(async (taken) => (await taken).release()));
    }
    // The abandoned commands get their connections now: past their deadline, they give them back unused.
    await waitFor('the pool to have no waiters', async () => pool.waitingCount === 0);
    await waitFor('every connection back in the pool', async () => pool.idleCount === pool.totalCount, 10_000);
    expect(await counts()).toEqual(before);
    for (const body of scans) await operator.post('/api/scans').send(body).expect(201);
    expect(await counts()).toEqual(before.map((c) => c + 1));
    expect(internalErrors(logs.lines.slice(logsBefore))).toEqual([]);
  });
});

describe('a connection lost around COMMIT: 503, and the retry with the idempotency key settles it (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let n: Network;
  let lot: string;
  let proxy: PgProxy;
  let direct: Client;
  const logs = captureLogs();

  const lotEvents = async (): Promise<number> =>
    Number(((await direct.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`lot-${lot}`])).rows as { n: number }[])[0].n);

  beforeAll(async () => {
    // The app reaches PostgreSQL through a proxy of our own that the test can break (the server itself is shared: never restarted).
    const server = new URL(process.env.TEST_DATABASE_URL || process.env.COLDTRACE_TEST_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres');
    proxy = await startPgProxy({ host: server.hostname, port: Number(server.port || 5432) });
    t = await createTestApp({}, undefined, { log: logs.log, via: proxy.url });
    direct = new Client({ connectionString: t.databaseUrl });
    await direct.connect();
    n = await registerNetwork(t);
    lot = (await registerLot(t, n)).traceCode;
  });

  afterAll(async () => {
    await direct?.end();
    await t?.close();
    await proxy?.close();
  });

  /**
   * Sends the scan while `breakIt` breaks its connection: it answers 503 DATABASE_UNAVAILABLE
   * (never a 500) having recorded `recordedByFirst` events, and its retry 201, recorded once.
   */
  const lostThenRetried = async (body: ReturnType<typeof sample>, breakIt: () => Promise<void>, recordedByFirst: 0 | 1): Promise<{ first: Response; retry: Response }> => {
    const before = await lotEvents();
    const logsBefore = logs.lines.length;
    const sent = t.http().post('/api/scans').send(body).then((r) => r);
    await breakIt();
    const first = await sent;
    expect({ status: first.status, code: first.body.code }).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(await lotEvents()).toBe(before + recordedByFirst);
    const retry = await t.http().post('/api/scans').send(body);
    expect(retry.status).toBe(201);
    expect(await lotEvents()).toBe(before + 1);
    expect(internalErrors(logs.lines.slice(logsBefore))).toEqual([]);
    return { first, retry };
  };

  /** Ends the backend behind a held connection as a shutting-down server does, and lets what follows through. */
  const terminate = async (held: Held): Promise<void> => {
    const pid = await held.reached;
    await direct.query('SELECT pg_terminate_backend($1)', [pid]);
    await waitFor('the backend to be gone', async () => (await direct.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rows.length === 0);
    held.release();
  };

  it('the COMMIT never reaches the server: 503, nothing recorded; the retry records it', async () => {
    const body = sample(n, lot);
    await lostThenRetried(body, () => proxy.cutAtCommit(body.scanId, 'before-commit'), 0);
  });

  it('the COMMIT is carried out but its answer is lost: 503 (the outcome is unknown); the retry answers with what was recorded, once', async () => {
    const body = sample(n, lot);
    const { first, retry } = await lostThenRetried(body, () => proxy.cutAtCommit(body.scanId, 'after-commit'), 1);
    expect(first.body.message).toContain('may or may not have been recorded');
    expect(retry.body).toMatchObject({ scanId: body.scanId, events: [{ type: 'LotSampled' }] });
  });

  it('the server ends the session just before COMMIT, as a restart does (once a 500): 503, nothing recorded; the retry records it', async () => {
    const body = sample(n, lot);
    // The idempotency key (`<key id>/scan:<scan id>`) is in the last statement before COMMIT, and only there.
    // The app then hears that statement's answer and the server's FATAL together, idle in its transaction.
    await lostThenRetried(body, () => terminate(proxy.holdAnswers(`scan:${body.scanId}`)), 0);
  });

  it('the server ends the session while the COMMIT is on its way: 503; the retry records it', async () => {
    const body = sample(n, lot);
    await lostThenRetried(body, () => terminate(proxy.holdCommit(body.scanId)), 0);
  });
});
