import { rmSync } from 'node:fs';
import { BenchRun } from './rows/context';
import { grownStoreOf, rebuildRow, traceRow } from './rows/grown';
import { batchRow, readRows, scanRows } from './rows/ingest';
import { memoryRow } from './rows/memory';
import { recallRows } from './rows/recall';
import { freshStore } from './rows/stores';
import { temperatureIngestRow, temperatureReadRow } from './rows/temperature';
import { BATCH_SIZE, CONNECTIONS, GROWN_EVENTS, ROUNDS, runs, SECONDS, SMALL, WARMUP } from './support/scale';
import { int } from './support/stats';

/**
 * Issue 17's table, every row in one run, each against a baseline measured in
 * the same run: the api runs as its own process the way it is deployed
 * (embedded mode, `node dist/apps/api/src/main.js`, its own database), loaded
 * by autocannon in its own process; each side is warmed up, then the sides
 * alternate (A B A B ...) and the medians are reported with p99 latency and
 * peak RSS (VmHWM). Rows, in issue 17's order:
 *
 *   1  the retailer's eligibility read vs bare node:http with the same JSON
 *   2  single scan vs BEGIN; INSERT; COMMIT per request
 *   3  POST /api/scans/batch vs one multi-row INSERT of the same rows
 *   4  a positive test on a 10,101-lot family: the command, then every lot's eligibility showing the recall
 *   5  projections:rebuild of 1,000,000 events, while the api serves reads, vs a paged SELECT of them
 *   6  growth: with those events stored, the read and the scan against the fresh store's, and a 1,011-lot forward trace
 *   7  memory: the api's RSS after a second identical load of 50 clients against the first
 *   8  issue 21's temperature logs: 1,000,000 readings uploaded to 1,000 lots vs one multi-row INSERT
 *      of the same readings a request; then a 1,000-point series of a 10,000-reading log (p99)
 *
 * The million events are written once (COPY) and serve rows 5 and 6 (6 after
 * 5, whose rebuild builds their read models). Rows print in this order
 * whatever order they ran in (BENCH_ONLY), and bench/results/table.partial.txt
 * holds the rows measured so far. Nothing
 * here asserts a speed (the `met` column judges the targets); every load must
 * be free of errors and non-2xx answers, every scan answered must be stored.
 * BENCH_SCALE=small for development, BENCH_ONLY=read,scan,... for some rows;
 * every knob is in bench/support/scale.ts.
 */
/** Per row: the full scale's rebuild alone takes minutes on 2 shared cores. */
const HOUR = 3_600_000;
const run = new BenchRun();
const growth = runs('growth');

describe(`issue 17's table: every row against its same-run baseline${SMALL ? ' (BENCH_SCALE=small)' : ''}`, () => {
  afterAll(async () => {
    await run.cleanUp();
    rmSync(run.scratch, { recursive: true, force: true });
    run.table.print(
      `coldtrace vs same-run baselines${SMALL ? ' (BENCH_SCALE=small: NOT the issue\'s scale)' : ''}`,
      `${CONNECTIONS} connections unless noted; ${WARMUP} s warm-up per side, then ${ROUNDS} x ${SECONDS} s alternating, medians; ` +
        `grown store ${int(GROWN_EVENTS)} events`,
      'table.txt',
    );
  });

  (runs('read') ? it : it.skip)('1 eligibility read vs a bare node:http server answering the same JSON', () =>
    run.table.measure('1', 'GET sale-eligibility', '>= 0.5x', async () => readRows(run, await freshStore(run), { baseline: true, grown: null })),
    HOUR,
  );

  (runs('scan') ? it : it.skip)('2 single scans vs one INSERT transaction per request', () =>
    run.table.measure('2', 'POST /api/scans', '>= 0.5x', async () => scanRows(run, await freshStore(run), { baseline: true, grown: null })),
    HOUR,
  );

  (runs('batch') ? it : it.skip)(`3 batch capture, ${BATCH_SIZE} scans a request, vs one multi-row INSERT`, () =>
    run.table.measure('3', 'POST /api/scans/batch', '>= 0.25x', async () => batchRow(run, await freshStore(run))),
    HOUR,
  );

  (runs('recall') ? it : it.skip)('4 positive test on a large family: the command, then every lot shows the recall', () =>
    run.table.measure('4a', 'positive test -> family', '< 1 s / < 2 s', () => recallRows(run)),
    HOUR,
  );

  (runs('temperature') ? it : it.skip)('8 temperature logs: uploads vs one multi-row INSERT, then a downsampled series read', async () => {
    // Each measured even when the other failed (its line says FAILED); the first failure fails the test.
    const failures: unknown[] = [];
    await run.table.measure('8a', 'POST /api/lots/:code/temperatures', '>= 0.25x', () => temperatureIngestRow(run)).catch((e) => failures.push(e));
    await run.table.measure('8b', 'GET /api/lots/:code/temperatures', 'p99 < 50 ms', () => temperatureReadRow(run)).catch((e) => failures.push(e));
    if (failures.length) throw failures[0];
  }, HOUR);

  // Before the rebuild and growth rows, the longest at full scale.
  (runs('memory') ? it : it.skip)('7 memory: a second identical load of 50 clients', () =>
    run.table.measure('7', 'memory', '< 1.10x', () => memoryRow(run)),
    HOUR,
  );

  (runs('rebuild') ? it : it.skip)('5 projections:rebuild while the api serves reads, vs a paged SELECT', () =>
    run.table.measure('5', 'projections:rebuild', '>= 0.3x, < 512 MiB, 0 failed reads', () => rebuildRow(run)),
    HOUR,
  );

  // After the rebuild row, which builds the grown store's read models.
  (growth ? it : it.skip)('6 growth: the read, the scan and a 1,011-lot forward trace on the grown store vs the fresh one', async () => {
    const fresh = await freshStore(run);
    const grown = () => grownStoreOf(run);
    // Each measured even when another failed (its line says FAILED); the first failure fails the test.
    const failures: unknown[] = [];
    for (const [key, path, target, f] of [
      ['6a', 'growth: eligibility read', '>= 0.8x', async () => readRows(run, fresh, { baseline: false, grown: await grown() })],
      ['6b', 'growth: single scan', '>= 0.8x', async () => scanRows(run, fresh, { baseline: false, grown: await grown() })],
      ['6c', 'growth: forward trace', 'p99 < 1 s', async () => traceRow(run, fresh, await grown())],
    ] as const) {
      await run.table.measure(key, path, target, f).catch((e) => failures.push(e));
    }
    if (failures.length) throw failures[0];
  }, HOUR);
});
