import { pool } from '../support/http';
import { generated, Load } from '../support/load';
import { bringToWarehouse, registerLot, setUpNetwork, uid, walkToStore } from '../support/network';
import { ApiProcess, currentRss } from '../support/processes';
import { MEMORY_READ_LOTS, MEMORY_SCAN_LOTS, MEMORY_SECONDS } from '../support/scale';
import { int, mib, ratio } from '../support/stats';
import { side } from '../support/table';
import { BenchRun } from './context';

const READERS = 40;
const SCANNERS = 10;
/** A request this slow counts as failed: generous, as the machine may be shared (a memory row, not a latency one). */
const LOAD_TIMEOUT_S = 60;

/** Settles the api after a load (its queues drained, the projections caught up), then reads its resident set. */
const settledRss = async (api: ApiProcess): Promise<number> => {
  await new Promise((r) => setTimeout(r, 5_000));
  return currentRss(api.pid) ?? NaN;
};

/**
 * Row 7, issue 17's memory check: the api (its own process, embedded mode, a
 * fresh database) under a 60 s load of 50 clients, then the same load again.
 * What a long-running api holds must not grow with the work it has done: the
 * resident set after the second load may exceed the first's by less than
 * 10%. The load is a shop day in miniature: 40 tills reading eligibility over
 * 500 lots in turn, 10 scanners sampling 200 lots at the warehouse.
 */
export const memoryRow = async (run: BenchRun): Promise<void> => {
  const api = await run.api(await run.database());
  try {
    const { network: n, actors: a } = await setUpNetwork(api.url, run.adminToken);
    const tag = uid();
    const readLots = Array.from({ length: MEMORY_READ_LOTS }, (_, i) => `MR-${tag}-${i}`);
    const scanLots = Array.from({ length: MEMORY_SCAN_LOTS }, (_, i) => `MS-${tag}-${i}`);
    await pool(readLots, 8, async (tc) => {
      await registerLot(a, n, tc);
      await walkToStore(a, n, tc);
    });
    await pool(scanLots, 8, async (tc) => {
      await registerLot(a, n, tc);
      await bringToWarehouse(a, n, tc);
    });
    const load = (round: number): Promise<[Load, Load]> =>
      Promise.all([
        generated(api.url, '', {
          connections: READERS,
          seconds: MEMORY_SECONDS,
          timeoutSeconds: LOAD_TIMEOUT_S,
          headers: { authorization: `Bearer ${a.tokens.retailer}` },
          generator: { kind: 'read', pathTemplate: '/api/lots/:traceCode/sale-eligibility', traceCodes: readLots },
        }),
        generated(api.url, '/api/scans', {
          connections: SCANNERS,
          seconds: MEMORY_SECONDS,
          timeoutSeconds: LOAD_TIMEOUT_S,
          headers: { authorization: `Bearer ${a.tokens.warehouse}` },
          generator: {
            kind: 'scan',
            template: { facilityId: n.warehouse, occurredAt: new Date().toISOString() },
            traceCodes: scanLots,
            actions: ['SAMPLE'],
            idPrefix: `mem-${tag}-${round}`,
          },
        }),
      ]);
    const before = currentRss(api.pid) ?? NaN;
    api.resetPeakRss();
    const first = await load(1);
    const afterFirst = await settledRss(api);
    const second = await load(2);
    const afterSecond = await settledRss(api);
    const growth = afterSecond / afterFirst - 1;
    run.table.add({
      key: '7',
      path: `memory: RSS after a 2nd ${MEMORY_SECONDS} s load of ${READERS + SCANNERS} clients vs the 1st`,
      measured: side(mib(afterSecond), second[0].p99, api.peakRss()),
      baseline: side(mib(afterFirst), first[0].p99),
      ratio: ratio(afterSecond / afterFirst),
      target: '< 1.10x',
      met: growth < 0.1,
    });
    run.table.note(
      `memory: api RSS ${mib(before)} set up, ${mib(afterFirst)} after the first load, ${mib(afterSecond)} after the second (${(growth * 100).toFixed(1)}%); ` +
        `reads ${int(first[0].rps)} then ${int(second[0].rps)} req/s, scans ${int(first[1].rps)} then ${int(second[1].rps)} scans/s; p99 is the reads'`,
    );
    for (const [reads, scans] of [first, second]) {
      expect([reads.errors, reads.timeouts, reads.non2xx, scans.errors, scans.timeouts, scans.non2xx]).toEqual([0, 0, 0, 0, 0, 0]);
    }
  } finally {
    await api.stop();
  }
};
