import { join } from 'node:path';
import { countEvents, withDb } from '../support/db';
import { appendCopies, readTemplate } from '../support/event-log';
import { Genealogy } from '../support/genealogy';
import { pool } from '../support/http';
import { Load, generated } from '../support/load';
import { registerLot, scanOk, setUpNetwork, walkToStore } from '../support/network';
import { ApiProcess, OneShot, ROOT, runNode, startApi } from '../support/processes';
import { reach, traceAll } from '../support/reads';
import { BUILD_WORKERS, EVENTS_PER_LOT, GROWN_EVENTS, HASH_COPIES, REBUILD_BUDGET_S, REBUILD_PAGE, REBUILD_READ_LOTS, REBUILD_READERS, runs, TRACE_RUNS } from '../support/scale';
import { int, median, mib, ms, percentile, ratio, seconds, timed } from '../support/stats';
import { side } from '../support/table';
import { BenchRun } from './context';
import { prepareStore, Store, traceFamily } from './stores';

/** The grown event log: GROWN_EVENTS events, its read models built, an api serving it. */
export interface GrownLog {
  databaseUrl: string;
  api: ApiProcess;
  events: number;
  /** A till's token and lots it may read (walked to its store before the copies, so readable before any rebuild). */
  retailerToken: string;
  readLots: string[];
}

/**
 * Through the real api: a template lot registered, given papers, walked to the store, then sampled, disinfected
 * and sold from; and REBUILD_READ_LOTS lots walked to the store, for the till to read while the rebuild runs.
 */
const walkTemplate = async (run: BenchRun, databaseUrl: string) => {
  const api = await startApi(databaseUrl, run.adminToken);
  const traceCode = `TPL${run.id}`;
  try {
    const { network, actors } = await setUpNetwork(api.url, run.adminToken);
    await registerLot(actors, network, traceCode);
    let version = (await walkToStore(actors, network, traceCode)).version;
    const tail: Parameters<typeof scanOk>[1][] = [
      { traceCode, facilityId: network.store, action: 'SAMPLE' },
      { traceCode, facilityId: network.store, action: 'DISINFECT' },
      { traceCode, facilityId: network.store, action: 'SELL', zoneId: network.zones.storeSales, quantity: 0.5 },
    ];
    for (let i = 0; version < EVENTS_PER_LOT; i++) version = (await scanOk(actors.operator, { ...tail[i % tail.length], temperatureC: -18 })).version;
    const readLots = Array.from({ length: REBUILD_READ_LOTS }, (_, i) => `RD${run.id}-${i}`);
    await pool(readLots, 4, async (code) => {
      await registerLot(actors, network, code);
      await walkToStore(actors, network, code);
    });
    await reach(actors, traceCode, [version], 'sale-eligibility', 'lot', 'history');
    return { traceCode, retailerToken: actors.tokens.retailer, readLots };
  } finally {
    await api.stop();
  }
};

/**
 * Every subscription checkpoint moved to the log's head: the api started next
 * serves at once, its read models holding what was projected before the copies
 * (the rebuild row then builds them all). False when the checkpoints are not
 * kept where this expects (another design): then a rebuild has to build them.
 */
const fastForward = async (databaseUrl: string): Promise<boolean> =>
  withDb(databaseUrl, async (ds) => {
    try {
      await ds.query(
        `UPDATE subscription_checkpoints c SET transaction_id = h.transaction_id, global_position = h.global_position
           FROM (SELECT transaction_id, global_position FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1) h`,
      );
      return true;
    } catch {
      return false;
    }
  });

/** The SELECT baseline and the rebuild CLI, as one-shot processes on the grown database. */
const oneShots = (databaseUrl: string) => {
  const env = { DATABASE_URL: databaseUrl, LOG_LEVEL: 'log', NO_COLOR: '1', PAGE: String(REBUILD_PAGE) };
  return {
    select: () => runNode([join(ROOT, 'bench', 'baselines', 'select-events.js')], env),
    // What `npm run projections:rebuild` runs once its build step is done (the suite's global setup built dist/).
    rebuild: (budgetMs: number) => runNode([join(ROOT, 'dist', 'apps', 'api', 'src', 'cli', 'rebuild-projections.js')], env, budgetMs),
  };
};

/** Default budget: six times the baseline's time (at least 60 s), so any ratio down to ~0.17x is measured and a slower one is bounded. */
const budgetFor = (baselineMs: number) => (REBUILD_BUDGET_S > 0 ? REBUILD_BUDGET_S * 1000 : Math.max(60_000, 6 * baselineMs));

const expectBaseline = (b: OneShot, events: number) =>
  expect({ code: b.code, stderr: b.stderr.trim(), events: JSON.parse(b.stdout || '{}').events }).toEqual({ code: 0, stderr: '', events });

/** A finished rebuild: each projection it names replayed every event (fewer = it skipped some). */
const expectRebuilt = (run: BenchRun, rb: OneShot, events: number) => {
  if (rb.killed) return;
  if (rb.code !== 0) throw new Error(`projections:rebuild exited ${rb.code}:\n${rb.stdout.slice(-3000)}\n${rb.stderr.slice(-3000)}`);
  // Its log (pino JSON or Nest's text) goes to stdout or stderr, depending on the logger.
  const replayed = [...`${rb.stdout}\n${rb.stderr}`.matchAll(/(\S+): replayed (\d+) events/g)].map((m) => ({ name: m[1], n: Number(m[2]) }));
  if (replayed.length === 0) run.table.note(`rebuild: the CLI printed no "<projection>: replayed N events" lines to check its counts against`);
  for (const p of replayed) expect({ name: p.name, replayed: p.n }).toEqual({ name: p.name, replayed: events });
};

let grown: Promise<GrownLog> | null = null;

/**
 * The grown store, built once a run: a template lot walked through the api,
 * then copied with COPY until the log holds GROWN_EVENTS events; then an api
 * serves it. Its read models get the copies from the rebuild row (the growth
 * rows run after it); without that row, from one rebuild here.
 */
export const grownLog = (run: BenchRun): Promise<GrownLog> =>
  (grown ??= (async () => {
    const databaseUrl = await run.database();
    const template = await walkTemplate(run, databaseUrl);
    const built = await timed(async () => {
      const t = await withDb(databaseUrl, (ds) => readTemplate(ds, template.traceCode));
      const copies = Math.max(0, Math.ceil((GROWN_EVENTS - (await countEvents(databaseUrl))) / t.events.length));
      await appendCopies(databaseUrl, t, copies, `R${run.id}-`, { workers: BUILD_WORKERS, hashChains: HASH_COPIES });
      await withDb(databaseUrl, (ds) => ds.query('VACUUM (ANALYZE)'));
      return { copies, perLot: t.events.length };
    });
    const events = await countEvents(databaseUrl);
    run.table.note(
      `grown store: ${int(events)} events (${int(built.value.copies)} lots of ${built.value.perLot} events copied with COPY from one walked through the api, ` +
        `${HASH_COPIES ? 'each with its own hash chain' : "the template's hashes and signatures"}, ${BUILD_WORKERS} processes) written in ${seconds(built.ms)}, then VACUUM ANALYZE`,
    );
    if (!runs('rebuild') || !(await fastForward(databaseUrl))) {
      const rb = await oneShots(databaseUrl).rebuild(0);
      expectRebuilt(run, rb, events);
      run.table.note(`grown store: its read models built by a rebuild with no api running, ${seconds(rb.ms)} (${int(events / (rb.ms / 1000))} events/s)`);
    }
    const api = await run.api(databaseUrl);
    return { databaseUrl, api, events, retailerToken: template.retailerToken, readLots: template.readLots };
  })());

let grownStore: Promise<Store> | null = null;

/** The grown log's api with the growth rows' own lots (a walked lot, scan lots), set up after its millionth event. */
export const grownStoreOf = (run: BenchRun): Promise<Store> =>
  (grownStore ??= grownLog(run).then(async (g) => prepareStore(run, `${int(g.events)} events`, g.api, g.databaseUrl, 0)));

/** The till's eligibility reads over the grown log's lots, REBUILD_READERS clients, until `done` settles. */
const readersUntil = (g: GrownLog, done: Promise<unknown>): Promise<Load> =>
  generated(g.api.url, '', {
    connections: REBUILD_READERS,
    seconds: 3600,
    headers: { authorization: `Bearer ${g.retailerToken}` },
    generator: { kind: 'read', pathTemplate: '/api/lots/:traceCode/sale-eligibility', traceCodes: g.readLots },
    stopWhen: done,
  });

/** `f`, with the readers running from its start to its end. */
const whileReading = async <T>(g: GrownLog, f: () => Promise<T>): Promise<{ value: T; reads: Load }> => {
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  const reads = readersUntil(g, done);
  reads.catch(() => undefined); // awaited below; if `f` throws, its error is the one reported
  try {
    const value = await f();
    finish();
    return { value, reads: await reads };
  } finally {
    finish();
  }
};

const failed = (l: Load) => l.non2xx + l.errors + l.timeouts;

/**
 * Row 5: `projections:rebuild` of the grown log while the api serves the
 * till's reads, against a paged SELECT of the same events under the same
 * reads (before and after it). Failed reads (anything but 200) are counted.
 */
export const rebuildRow = async (run: BenchRun): Promise<void> => {
  const g = await grownLog(run);
  const { select, rebuild } = oneShots(g.databaseUrl);
  const ready = await timed(async () => {
    for (const started = Date.now(); Date.now() - started < 120_000; ) {
      const res = await fetch(`${g.api.url}/api/lots/${g.readLots[0]}/sale-eligibility`, { headers: { authorization: `Bearer ${g.retailerToken}` } });
      if (res.status === 200) return;
      if (res.status !== 503 && res.status !== 404) throw new Error(`the grown store's eligibility read answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the grown store's lots were not readable 120 s after its api started`);
  });
  run.table.note(`rebuild: the api on the grown store answered its first eligibility read ${seconds(ready.ms)} after it was up`);
  const a = await whileReading(g, select);
  g.api.resetPeakRss();
  const rb = await whileReading(g, () => rebuild(budgetFor(a.value.ms)));
  const apiPeak = g.api.peakRss();
  // After a rebuild stopped at its budget, the api is still catching up: a second baseline would time that, not a SELECT.
  const b = rb.value.killed ? null : await whileReading(g, select);
  const baselines = b ? [a, b] : [a];
  for (const x of baselines) expectBaseline(x.value, g.events);
  expectRebuilt(run, rb.value, g.events);
  const baseMs = median(baselines.map((x) => x.value.ms));
  const baseReads = baselines.map((x) => x.reads);
  const path = `projections:rebuild, ${int(g.events)} events, ${REBUILD_READERS} clients reading`;
  const worst = Math.max(rb.value.peakRss ?? Infinity, apiPeak ?? Infinity);
  const cliRate = rb.value.killed ? `< ${int(g.events / (rb.value.ms / 1000))}` : int(g.events / (rb.value.ms / 1000));
  const r = baseMs / rb.value.ms;
  run.table.add({
    key: '5',
    path,
    measured: { value: `${cliRate} events/s`, p99: ms(rb.reads.p99), peak: `${mib(rb.value.peakRss)} cli, ${mib(apiPeak)} api` },
    baseline: side(`${int(g.events / (baseMs / 1000))} events/s`, median(baseReads.map((l) => l.p99)), Math.max(...baselines.map((x) => x.value.peakRss ?? 0)) || null),
    ratio: rb.value.killed ? `< ${ratio(r)}` : ratio(r),
    target: '>= 0.3x, < 512 MiB, 0 failed reads',
    met: !rb.value.killed && r >= 0.3 && worst < 512 * 2 ** 20 && failed(rb.reads) === 0,
  });
  const codes = (l: Load) => JSON.stringify(l.statusCodes);
  run.table.note(
    `rebuild: the CLI took ${seconds(rb.value.ms)}${rb.value.killed ? ` and was killed at its budget (${seconds(budgetFor(a.value.ms))})` : ''} while ${REBUILD_READERS} tills read ` +
      `eligibility: ${int(rb.reads.ok)} reads answered 200, ${int(failed(rb.reads))} failed (status codes ${codes(rb.reads)}, ${rb.reads.errors} errors, ` +
      `${rb.reads.timeouts} timeouts), ${int(rb.reads.rps)} reads/s, p99 ${ms(rb.reads.p99)} (the tills read ${g.readLots.length} lots walked before the copies); ` +
      `the SELECT baseline took ${baselines.map((x) => seconds(x.value.ms)).join(' before it and ')}${b ? ' after it' : ' before it'}, under the same reads ` +
      `(${baseReads.map((l) => `${int(l.rps)} reads/s, ${int(failed(l))} failed`).join('; ')})`,
  );
  // The readers' failures during the baselines are the api's, not the rebuild's: they must not happen.
  for (const l of baseReads) expect({ failed: failed(l), statusCodes: l.statusCodes }).toEqual({ failed: 0, statusCodes: { 200: l.ok } });
};

/** Forward traces of a family, each every page of it, as the regulator: their times (ms). */
const traceTimes = async (s: Store, g: Genealogy, n: number): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = await timed(() => traceAll((p) => s.actors.regulator.get(p), g.root));
    expect({ lots: t.value.lots.length, links: t.value.links.length, pending: t.value.pending }).toEqual({ lots: g.lots.length, links: g.lots.length - 1, pending: [] });
    times.push(t.ms);
  }
  return times;
};

/**
 * Row 6c: a forward trace (every page) of a 1,011-lot family on the grown
 * store, against the same on the fresh store, alternating one trace each.
 */
export const traceRow = async (run: BenchRun, fresh: Store, big: Store): Promise<void> => {
  const [gf, gb] = [await traceFamily(fresh), await traceFamily(big)];
  await traceTimes(fresh, gf, 1);
  await traceTimes(big, gb, 1);
  const f: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < TRACE_RUNS; i++) {
    f.push(...(await traceTimes(fresh, gf, 1)));
    b.push(...(await traceTimes(big, gb, 1)));
  }
  const [pf, pb] = [percentile(f, 99), percentile(b, 99)];
  run.table.add({
    key: '6c',
    path: `growth: forward trace of a ${int(gb.lots.length)}-lot family, ${big.name} vs fresh`,
    measured: { value: `${seconds(median(b))} median`, p99: ms(pb), peak: mib(big.api.peakRss()) },
    baseline: { value: `${seconds(median(f))} median`, p99: ms(pf) },
    ratio: ratio(median(f) / median(b)),
    target: 'p99 < 1 s',
    met: pb < 1000,
  });
  run.table.note(`trace: ${TRACE_RUNS} whole traces (every page of up to 1,000 lots) on each store, alternating; ${big.name}: ${b.map((x) => ms(x)).join(', ')}; fresh: ${f.map((x) => ms(x)).join(', ')}`);
};
