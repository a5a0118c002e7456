import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, scanOk } from './support/fixtures';
import { createTestDataSource } from './support/test-data-source';

/**
 * Production PostgreSQL servers are shared and run long jobs. A transaction
 * that appends no events, here or in another database of the same server,
 * must not hold the read side back: a retailer must not get a stale verdict
 * (or a 503) because someone's report runs.
 */
/** How long the unrelated transactions stay open while scans flow. */
const HELD_MS = 30_000;

describe('no stall behind unrelated transactions (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ readWaitTimeoutMs: 3_000 });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('while a transaction in another database holds an xid open for 30 s, scans keep flowing and ?atLeast= reads answer long before it ends', async () => {
    const n = await registerNetwork(t);
    const elsewhere = await createTestDataSource();
    const other = elsewhere.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT pg_current_xact_id()`);
    // And one in this very database that reads and holds an id but appends nothing.
    const here = t.dataSource.createQueryRunner();
    await here.connect();
    await here.startTransaction();
    await here.query(`SELECT pg_current_xact_id(), count(*) FROM events`);
    const opened = Date.now();
    try {
      const { traceCode, position } = await registerLot(t, n);
      const waits: number[] = [];
      const read = async (path: string, atLeast: number) => {
        const started = Date.now();
        await t.http().get(`${path}?atLeast=${atLeast}`).expect(200);
        waits.push(Date.now() - started);
      };
      await read(`/api/lots/${traceCode}`, position);
      // 30 s, ten times READ_WAIT_TIMEOUT_MS (3 s here): before, every read in this window answered 503 PROJECTION_LAGGING.
      for (let i = 0; Date.now() - opened < HELD_MS || i < 10; i++) {
        const scanned = await scanOk(t, { traceCode, facilityId: n.port, action: i % 2 ? 'SAMPLE' : 'DISINFECT' });
        await read(`/api/lots/${traceCode}/history`, scanned.position);
        await read(`/api/lots/${traceCode}/sale-eligibility`, scanned.position);
      }
      expect(Date.now() - opened).toBeGreaterThanOrEqual(HELD_MS);
      // A stall would last the 30 s the xid is held; a loaded CI machine takes a second now and then, which is no stall.
      expect(Math.max(...waits)).toBeLessThan(HELD_MS / 6);
    } finally {
      await here.rollbackTransaction();
      await here.release();
      await other.rollbackTransaction();
      await other.release();
      await elsewhere.close();
    }
  }, HELD_MS + 30_000);
});
