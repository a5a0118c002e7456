import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../test/support/test-database';
import { appendCopies, readTemplate } from './support/event-log';
import { buildGenealogy } from './support/genealogy';
import { call, pool } from './support/http';
import { cli, generated, Load, ScanGenerator } from './support/load';
import { Actors, bringToWarehouse, Eligibility, minutesAgo, Network, registerLot, scanOk, setUpNetwork, uid, walkToStore } from './support/network';
import { ApiProcess, ROOT, runNode, Service, startApi, startBaseline } from './support/processes';
import { int, median, mib, ms, ratio, seconds, timed } from './support/stats';

/**
 * Issue 9's speed table: each hot path of the api, run as its own process
 * the way it is deployed (embedded mode, its own fresh database), against a
 * baseline measured in the same run, with the same load generator, on the
 * same PostgreSQL: what this machine can do at most for the same job. Each
 * side is warmed up, then the two alternate (A B A B ...) and the medians are
 * reported, with p99 latency and peak RSS (VmHWM) beside them. Nothing here
 * asserts a speed; every run must be free of errors and non-2xx answers.
 *
 * Knobs (environment): BENCH_ONLY=read,scan,batch,recall,rebuild (default all),
 * BENCH_SECONDS (5) per measured run, BENCH_WARMUP_SECONDS (3), BENCH_ROUNDS (3),
 * BENCH_SCAN_LOTS (200), BENCH_BATCH_SIZE (1000), BENCH_BATCH_CONNECTIONS (4),
 * BENCH_RECALL_SHAPE (10,10,100), BENCH_RECALL_RUNS (3),
 * BENCH_REBUILD_EVENTS (1000000), BENCH_REBUILD_EVENTS_PER_LOT (50),
 * BENCH_REBUILD_PAGE (500: the baseline's page, as the rebuild's subscriptions read),
 * BENCH_REBUILD_BUDGET_S (default 6x the baseline's time, at least 60: the rebuild is killed after this, and its row
 * says how far it got), BENCH_BUILD_WORKERS (2: processes appending the rebuild's events),
 * BENCH_API_NODE_ARGS (node flags for the api, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 */
const env = (name: string, fallback: number): number => Number(process.env[name] || fallback);
const ONLY = new Set((process.env.BENCH_ONLY || 'read,scan,batch,recall,rebuild').split(',').map((s) => s.trim()));
const SECONDS = env('BENCH_SECONDS', 5);
const WARMUP = env('BENCH_WARMUP_SECONDS', 3);
const ROUNDS = env('BENCH_ROUNDS', 3);
const CONNECTIONS = 32;
const SCAN_LOTS = env('BENCH_SCAN_LOTS', 200);
const BATCH_SIZE = env('BENCH_BATCH_SIZE', 1000);
const BATCH_CONNECTIONS = env('BENCH_BATCH_CONNECTIONS', 4);
const RECALL_SHAPE = (process.env.BENCH_RECALL_SHAPE || '10,10,100').split(',').map(Number);
const RECALL_RUNS = env('BENCH_RECALL_RUNS', 3);
const REBUILD_EVENTS = env('BENCH_REBUILD_EVENTS', 1_000_000);
const EVENTS_PER_LOT = env('BENCH_REBUILD_EVENTS_PER_LOT', 50);
const REBUILD_PAGE = env('BENCH_REBUILD_PAGE', 500);
/** Processes appending the rebuild's events (each hashes while PostgreSQL inserts for the other). */
const BUILD_WORKERS = env('BENCH_BUILD_WORKERS', 2);
/**
 * The rebuild is killed after this long (its row then says so, with how far it got). Default: six times
 * the baseline's time (at least 60 s), so any ratio down to ~0.17x is measured and a slower one is bounded.
 */
const REBUILD_BUDGET_S = env('BENCH_REBUILD_BUDGET_S', 0);
/** The api's pool (libs/platform data-source-options): the insert baseline gets as many connections. */
const API_POOL = 20;

const ADMIN_TOKEN = `bench-admin-${randomBytes(24).toString('hex')}`;
const RUN = uid();
const scratch = mkdtempSync(join(tmpdir(), 'coldtrace-bench-speed-'));

/** One line of the table: the path, then coldtrace's and the baseline's rate, p99 and peak RSS, the ratio and the target. */
type Line = [string, string, string, string, string, string, string, string, string];
const HEADER: Line = ['path', 'coldtrace', 'p99', 'peak RSS', 'baseline', 'p99', 'peak RSS', 'ratio', 'target'];
const lines: Line[] = [];
const notes: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

const render = (): string => {
  const all = [HEADER, ...lines];
  const widths = HEADER.map((_, c) => Math.max(...all.map((l) => l[c].length)));
  const fmt = (l: Line) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [fmt(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n');
};

// ---------------------------------------------------------------------------------------------
// A/B rounds

interface Side {
  /** Whose peak RSS is reported (reset before its warm-up, read after its last round). */
  service: Service;
  run: (seconds: number, tag: string) => Promise<Load>;
}

interface Measured {
  loads: Load[];
  warmup: Load;
  rps: number;
  p99: number;
  peak: number | null;
}

/** Warm-up of each side, then A B A B ...; medians of the measured runs. One side alone when the other is not served. */
const alternate = async (...sides: Side[]): Promise<Measured[]> => {
  for (const s of sides) s.service.resetPeakRss();
  const warm: Load[] = [];
  for (const s of sides) warm.push(await s.run(WARMUP, 'w'));
  const loads: Load[][] = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, s] of sides.entries()) loads[i].push(await s.run(SECONDS, `r${r}`));
  }
  return sides.map((s, i) => ({
    loads: loads[i],
    warmup: warm[i],
    rps: median(loads[i].map((l) => l.rps)),
    p99: median(loads[i].map((l) => l.p99)),
    peak: s.service.peakRss(),
  }));
};

const describeRuns = (label: string, m: Measured, unit = 'req/s', perRequest = 1): string =>
  `${label}: ${m.loads.map((l) => int(l.rps * perRequest)).join(', ')} ${unit} (warm-up ${int(m.warmup.rps * perRequest)}); ` +
  `p99 ${m.loads.map((l) => l.p99).join(', ')} ms; p50 ${median(m.loads.map((l) => l.p50))} ms`;

/** Every run of a side, warm-up included: no socket errors, no timeouts, nothing but 2xx. */
const faults = (m: Measured) =>
  [m.warmup, ...m.loads].map((l) => ({ errors: l.errors, timeouts: l.timeouts, non2xx: l.non2xx, statusCodes: l.non2xx ? l.statusCodes : {} }));
const clean = (m: Measured) => [m.warmup, ...m.loads].map(() => ({ errors: 0, timeouts: 0, non2xx: 0, statusCodes: {} }));

// ---------------------------------------------------------------------------------------------
// The api for the read and ingest rows, with its lots

interface IngestSetup {
  api: ApiProcess;
  databaseUrl: string;
  network: Network;
  actors: Actors;
  /** A lot walked to the retail store's sales zone: the till may sell it. */
  saleable: string;
  /** Lots received at the central warehouse, one set for single scans, one for batches. */
  scanLots: string[];
  batchLots: string[];
}

let ingest: Promise<IngestSetup> | null = null;

const lotsAtWarehouse = async (a: Actors, n: Network, prefix: string): Promise<string[]> => {
  const codes = Array.from({ length: SCAN_LOTS }, (_, i) => `${prefix}-${RUN}-${i}`);
  await pool(codes, 8, async (code) => {
    await registerLot(a, n, code);
    await attachPapersOnce(a, code);
    await bringToWarehouse(a, n, code);
  });
  return codes;
};

/** One document, so each lot carries papers like a real one (and the scans are judged against them). */
const attachPapersOnce = (a: Actors, traceCode: string) =>
  a.inspector.ok(`/api/lots/${traceCode}/documents`, {
    type: 'CUSTOMS_DECLARATION',
    number: `${traceCode}.CD`,
    issuer: 'Shanghai Customs',
    issuedAt: minutesAgo(500),
  });

const setUpIngest = (): Promise<IngestSetup> =>
  (ingest ??= (async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const api = await startApi(db.url, ADMIN_TOKEN);
    cleanups.unshift(() => api.stop());
    const { network, actors } = await setUpNetwork(api.url, ADMIN_TOKEN);
    const saleable = `SALE-${RUN}`;
    await registerLot(actors, network, saleable);
    const stored = await walkToStore(actors, network, saleable);
    const verdict = await actors.retailer.get<Eligibility>(`/api/lots/${saleable}/sale-eligibility?atLeast=${stored.position}`);
    if (verdict.status !== 200 || !verdict.body.allowed) throw new Error(`the walked lot is not saleable: ${verdict.status} ${JSON.stringify(verdict.body)}`);
    const scanLots = await lotsAtWarehouse(actors, network, 'SCAN');
    const batchLots = await lotsAtWarehouse(actors, network, 'BATCH');
    await settle({ actors, network, scanLots }); // the rows start on a quiet api
    return { api, databaseUrl: db.url, network, actors, saleable, scanLots, batchLots };
  })());

/** How many distinct scan ids with this prefix the api recorded (events' metadata) or the baseline stored. */
const recordedByApi = async (databaseUrl: string, prefix: string): Promise<number> =>
  withDb(databaseUrl, async (ds) => Number((await ds.query(`SELECT count(DISTINCT metadata->>'scanId') AS n FROM events WHERE metadata->>'scanId' LIKE $1`, [`${prefix}.%`]))[0].n));
const recordedByBaseline = async (databaseUrl: string, table: string, prefix: string): Promise<number> =>
  withDb(databaseUrl, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE scan_id LIKE $1`, [`${prefix}.%`]))[0].n));

const withDb = async <T>(url: string, f: (ds: DataSource) => Promise<T>): Promise<T> => {
  const ds = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await ds.initialize();
  try {
    return await f(ds);
  } finally {
    await ds.destroy();
  }
};

/**
 * After an ingest row, until the api's read side has caught up (untimed for the rows, reported): one more
 * scan, committed after every scan of the row, then ?atLeast=<its position> reads on its read models.
 */
const settle = async (s: Pick<IngestSetup, 'actors' | 'network' | 'scanLots'>, what?: string): Promise<void> => {
  const started = performance.now();
  const last = await scanOk(s.actors.warehouse, { traceCode: s.scanLots[0], facilityId: s.network.warehouse, action: 'SAMPLE' });
  await reach(s.actors, s.scanLots[0], [last.position], 'sale-eligibility', 'lot', 'history');
  if (what) notes.push(`${what}: the api's read side caught up ${seconds(performance.now() - started)} after the last run`);
};

// ---------------------------------------------------------------------------------------------

describe('speed against same-run baselines (issue 9): api as its own process, autocannon, same PostgreSQL', () => {
  const started = Date.now();

  afterAll(async () => {
    for (const c of cleanups) await c().catch((e: Error) => notes.push(`cleanup failed: ${e.message}`));
    rmSync(scratch, { recursive: true, force: true });
    const cpu = cpus();
    const text = [
      `coldtrace speed vs same-run baselines, ${new Date().toISOString()}`,
      `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections unless noted; ` +
        `${WARMUP} s warm-up per side, then ${ROUNDS} x ${SECONDS} s alternating A/B, medians`,
      '',
      render(),
      '',
      ...notes.map((n) => `- ${n}`),
      `- whole suite: ${seconds(Date.now() - started)}`,
    ].join('\n');
    console.log(text);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'speed.txt'), `${text}\n`);
  });

  (ONLY.has('read') ? it : it.skip)(
    'eligibility read, 32 connections, vs a bare node:http server answering the same JSON',
    async () => {
      const s = await setUpIngest();
      const path = `/api/lots/${s.saleable}/sale-eligibility`;
      const answer = await s.actors.retailer.get<Eligibility>(path);
      expect(answer.status).toBe(200);
      const bodyFile = join(scratch, 'eligibility.json');
      writeFileSync(bodyFile, JSON.stringify(answer.body));
      const baseline = await startBaseline('json-server.js', { BODY_FILE: bodyFile });
      try {
        const [api, base] = await alternate(
          {
            service: s.api,
            run: (secs) => cli(`${s.api.url}${path}`, { connections: CONNECTIONS, seconds: secs, headers: { authorization: `Bearer ${s.actors.tokens.retailer}` } }),
          },
          { service: baseline, run: (secs) => cli(`${baseline.url}${path}`, { connections: CONNECTIONS, seconds: secs }) },
        );
        lines.push([
          '1 GET sale-eligibility (retailer token)',
          `${int(api.rps)} req/s`,
          ms(api.p99),
          mib(api.peak),
          `${int(base.rps)} req/s`,
          ms(base.p99),
          mib(base.peak),
          ratio(api.rps / base.rps),
          '>= 0.5x',
        ]);
        notes.push(describeRuns('read, api', api), describeRuns('read, baseline', base), `read: body ${JSON.stringify(answer.body).length} bytes`);
        expect(faults(api)).toEqual(clean(api));
        expect(faults(base)).toEqual(clean(base));
      } finally {
        await baseline.stop();
      }
    },
    600_000,
  );

  (ONLY.has('scan') ? it : it.skip)(
    'single scan ingest, 32 connections, vs one INSERT transaction per request',
    async () => {
      const s = await setUpIngest();
      const baseline = await startBaseline('insert-server.js', { DATABASE_URL: s.databaseUrl, POOL_MAX: String(API_POOL) });
      try {
        const prefixes: { api: string[]; base: string[] } = { api: [], base: [] };
        const generator = (prefix: string): ScanGenerator => ({
          kind: 'scan',
          template: { facilityId: s.network.warehouse, occurredAt: new Date().toISOString(), temperatureC: -18.5 },
          traceCodes: s.scanLots,
          actions: ['DISINFECT', 'SAMPLE'],
          idPrefix: prefix,
        });
        const [api, base] = await alternate(
          {
            service: s.api,
            run: async (secs, tag) => {
              const prefix = `S${RUN}${tag}a`;
              prefixes.api.push(prefix);
              return generated(s.api.url, '/api/scans', {
                connections: CONNECTIONS,
                seconds: secs,
                headers: { authorization: `Bearer ${s.actors.tokens.warehouse}` },
                generator: generator(prefix),
              });
            },
          },
          {
            service: baseline,
            run: async (secs, tag) => {
              const prefix = `S${RUN}${tag}b`;
              prefixes.base.push(prefix);
              return generated(baseline.url, '/scans', { connections: CONNECTIONS, seconds: secs, generator: generator(prefix) });
            },
          },
        );
        lines.push([
          `2 POST /api/scans (${SCAN_LOTS} lots)`,
          `${int(api.rps)} scans/s`,
          ms(api.p99),
          mib(api.peak),
          `${int(base.rps)} scans/s`,
          ms(base.p99),
          mib(base.peak),
          ratio(api.rps / base.rps),
          '>= 0.4x',
        ]);
        notes.push(describeRuns('scan, api', api, 'scans/s'), describeRuns('scan, baseline', base, 'scans/s'));
        expect(faults(api)).toEqual(clean(api));
        expect(faults(base)).toEqual(clean(base));
        // Every answered scan was recorded once (a request still in flight when a run ended may be recorded too).
        const runs = (m: Measured) => [m.warmup, ...m.loads];
        for (const [i, l] of runs(api).entries()) expect(await recordedByApi(s.databaseUrl, prefixes.api[i])).toBeGreaterThanOrEqual(l.ok);
        for (const [i, l] of runs(base).entries())
          expect(await recordedByBaseline(s.databaseUrl, 'bench_baseline_scans', prefixes.base[i])).toBeGreaterThanOrEqual(l.ok);
        const rowBytes = await withDb(s.databaseUrl, async (ds) => [
          Number((await ds.query(`SELECT avg(pg_column_size(e.*)) AS b FROM events e WHERE metadata->>'scanId' LIKE $1`, [`S${RUN}%`]))[0].b),
          Number((await ds.query(`SELECT avg(pg_column_size(b.*)) AS b FROM bench_baseline_scans b`))[0].b),
        ]);
        notes.push(`scan: an event row averages ${int(rowBytes[0])} bytes, a baseline row ${int(rowBytes[1])} bytes`);
        await settle(s, 'scan');
      } finally {
        await baseline.stop();
      }
    },
    600_000,
  );

  (ONLY.has('batch') ? it : it.skip)(
    `batch capture, ${BATCH_SIZE} scans a request, vs one multi-row INSERT of the same rows`,
    async () => {
      const s = await setUpIngest();
      const baseline = await startBaseline('insert-server.js', { DATABASE_URL: s.databaseUrl, POOL_MAX: String(API_POOL) });
      try {
        const generator = (prefix: string): ScanGenerator => ({
          kind: 'batch',
          size: BATCH_SIZE,
          template: { facilityId: s.network.warehouse, occurredAt: new Date().toISOString(), temperatureC: -18.5 },
          traceCodes: s.batchLots,
          actions: ['DISINFECT', 'SAMPLE'],
          idPrefix: prefix,
        });
        // Is the route served yet? One scan through it (a 404 ROUTE_NOT_FOUND = not yet).
        const probeId = `P${RUN}`;
        const probe = await call<{ code?: string; results?: { scanId: string; status: string; code?: string }[] }>(
          'POST',
          `${s.api.url}/api/scans/batch`,
          s.actors.tokens.warehouse,
          {
            scans: [
              { scanId: `${probeId}.0`, traceCode: s.batchLots[0], action: 'SAMPLE', facilityId: s.network.warehouse, occurredAt: new Date().toISOString() },
            ],
          },
        );
        const served = !(probe.status === 404 && probe.body?.code === 'ROUTE_NOT_FOUND');
        if (served) {
          expect({ status: probe.status, refused: probe.body?.results?.filter((r) => r.code) ?? 'no results' }).toEqual({ status: 200, refused: [] });
        }

        const prefixes: { api: string[]; base: string[] } = { api: [], base: [] };
        const baseSide: Side = {
          service: baseline,
          run: async (secs, tag) => {
            const prefix = `B${RUN}${tag}b`;
            prefixes.base.push(prefix);
            return generated(baseline.url, '/batch', { connections: BATCH_CONNECTIONS, seconds: secs, timeoutSeconds: 120, generator: generator(prefix) });
          },
        };
        const apiSide: Side = {
          service: s.api,
          run: async (secs, tag) => {
            const prefix = `B${RUN}${tag}a`;
            prefixes.api.push(prefix);
            return generated(s.api.url, '/api/scans/batch', {
              connections: BATCH_CONNECTIONS,
              seconds: secs,
              timeoutSeconds: 120,
              headers: { authorization: `Bearer ${s.actors.tokens.warehouse}` },
              generator: generator(prefix),
            });
          },
        };
        const label = `3 POST /api/scans/batch (${BATCH_SIZE}/req, ${BATCH_CONNECTIONS} conn)`;
        if (!served) {
          // The baseline still runs, so its number is on record beside "not served".
          const [base] = await alternate(baseSide);
          lines.push([label, 'not served', '-', '-', `${int(base.rps * BATCH_SIZE)} scans/s`, ms(base.p99), mib(base.peak), '-', '>= 0.25x']);
          notes.push(`batch: POST /api/scans/batch answered 404 ROUTE_NOT_FOUND: the route is not served yet`, describeRuns('batch, baseline', base, 'scans/s', BATCH_SIZE));
          expect(faults(base)).toEqual(clean(base));
          return;
        }
        const [api, base] = await alternate(apiSide, baseSide);
        lines.push([
          label,
          `${int(api.rps * BATCH_SIZE)} scans/s`,
          ms(api.p99),
          mib(api.peak),
          `${int(base.rps * BATCH_SIZE)} scans/s`,
          ms(base.p99),
          mib(base.peak),
          ratio(api.rps / base.rps),
          '>= 0.25x',
        ]);
        notes.push(describeRuns('batch, api', api, 'scans/s', BATCH_SIZE), describeRuns('batch, baseline', base, 'scans/s', BATCH_SIZE));
        expect(faults(api)).toEqual(clean(api));
        expect(faults(base)).toEqual(clean(base));
        const runs = (m: Measured) => [m.warmup, ...m.loads];
        for (const [i, l] of runs(api).entries()) expect(await recordedByApi(s.databaseUrl, prefixes.api[i])).toBeGreaterThanOrEqual(l.ok * BATCH_SIZE);
        for (const [i, l] of runs(base).entries())
          expect(await recordedByBaseline(s.databaseUrl, 'bench_baseline_batch_scans', prefixes.base[i])).toBeGreaterThanOrEqual(l.ok * BATCH_SIZE);
        await settle(s, 'batch');
      } finally {
        await baseline.stop();
      }
    },
    900_000,
  );

  (ONLY.has('recall') ? it : it.skip)(
    `recall of a ${RECALL_SHAPE.join(' -> ')} genealogy: the command, then every lot's eligibility read`,
    async () => {
      const db = await createTestDatabase();
      cleanups.push(db.drop);
      const api = await startApi(db.url, ADMIN_TOKEN);
      try {
        const { network, actors } = await setUpNetwork(api.url, ADMIN_TOKEN);
        const built = await timed(() => buildGenealogy(actors, network, RECALL_SHAPE));
        const g = built.value;
        // Read-your-writes on every building command, then every lot readable by the till (and the read path warm).
        await reach(actors, g.root, g.positions, 'sale-eligibility');
        const before = await sweep(actors, g.lots, () => true);
        expect(before.notReadable).toEqual([]);
        notes.push(
          `recall: genealogy of ${int(g.lots.length)} lots built through ${g.positions.length - 2} splits over HTTP in ${seconds(built.ms)}; ` +
            `before the recall ${int(before.allowed)} lots were saleable; one sweep of every lot's eligibility took ${seconds(before.ms)} ` +
            `(${int(g.lots.length / (before.ms / 1000))} req/s, ${CONNECTIONS} connections)`,
        );

        const commands: number[] = [];
        const visible: number[] = [];
        const probes: number[] = [];
        const peaks: (number | null)[] = [];
        const sweepsNeeded: number[] = [];
        const sweepMs: number[] = [];
        for (let r = 0; r < RECALL_RUNS; r++) {
          api.resetPeakRss();
          const recallId = `BENCH-${RUN}-${r}`;
          const cmd = await timed(() =>
            actors.regulator.post<{ position: number; lotsAffected: number }>(`/api/lots/${g.root}/recall`, { reason: 'bench: contaminated import lot', recallId }),
          );
          const returned = performance.now();
          if (cmd.value.status !== 201) throw new Error(`recall answered ${cmd.value.status} after ${ms(cmd.ms)}: ${JSON.stringify(cmd.value.body).slice(0, 500)}`);
          expect(cmd.value.body.lotsAffected).toBe(g.lots.length);
          commands.push(cmd.ms);
          const shows = (e: Eligibility) => {
            const recalled = e.reasons.filter((x) => x.code === 'LOT_RECALLED');
            return recalled.some((x) => JSON.stringify(x).includes(recallId)) || recalled.length >= r + 1;
          };
          // When the read side has the whole recall: a till's read with ?atLeast=<the recall's position> (it waits
          // server-side, no polling load on the api while the projections catch up). Then every lot is read, with
          // no ?atLeast, as any till would: a lot that does not show the recall yet is read again until it does.
          const probe = await probeAtLeast(actors, g.lots[g.lots.length - 1], cmd.value.body.position).then(() => performance.now() - returned);
          const all = await sweepUntil(actors, g.lots, shows, returned, 300_000);
          probes.push(probe);
          visible.push(Math.max(probe, all.lateMs));
          sweepsNeeded.push(all.sweeps);
          sweepMs.push(all.firstSweepMs);
          peaks.push(api.peakRss());
          // The other read models too, untimed, so the next recall starts on a quiet system.
          await reach(actors, g.root, [cmd.value.body.position], 'lot', 'history');
        }
        const peak = Math.max(...peaks.map((p) => p ?? 0)) || null;
        lines.push(
          [`4 recall, ${int(g.lots.length)} lots: command`, seconds(median(commands)), '-', mib(peak), '-', '-', '-', '-', '< 1 s'],
          [`  then every lot's read shows LOT_RECALLED`, seconds(median(visible)), '-', '', '-', '-', '-', '-', '< 2 s'],
        );
        notes.push(
          `recall: command ${commands.map((x) => seconds(x)).join(', ')}; the read side had all of it (a till's ?atLeast=<recall position> read answered) ` +
            `${probes.map((x) => seconds(x)).join(', ')} after the command returned; then every lot read by the till (no ?atLeast, ${CONNECTIONS} connections) ` +
            `showed LOT_RECALLED: ${sweepsNeeded.map((n, i) => (n === 1 ? `all on the first sweep (${seconds(sweepMs[i])})` : `after ${n} sweeps, the last at ${seconds(visible[i])}`)).join('; ')}`,
        );
      } finally {
        await api.stop();
      }
    },
    3_600_000,
  );

  (ONLY.has('rebuild') ? it : it.skip)(
    `projections:rebuild of ${int(REBUILD_EVENTS)} events vs a raw SELECT of the same events`,
    async () => {
      const db = await createTestDatabase();
      cleanups.push(db.drop);
      // A template lot through the real api: registered, papers, walked to the store, then scanned and sold from.
      const api = await startApi(db.url, ADMIN_TOKEN);
      const templateCode = `TPL${RUN}`;
      try {
        const { network, actors } = await setUpNetwork(api.url, ADMIN_TOKEN);
        await registerLot(actors, network, templateCode);
        let version = 0;
        await walkToStore(actors, network, templateCode);
        const tail: Parameters<typeof scanOk>[1][] = [
          { traceCode: templateCode, facilityId: network.store, action: 'SAMPLE' },
          { traceCode: templateCode, facilityId: network.store, action: 'DISINFECT' },
          { traceCode: templateCode, facilityId: network.store, action: 'SELL', zoneId: network.zones.storeSales, quantity: 0.5 },
        ];
        for (let i = 0; version < EVENTS_PER_LOT; i++) {
          version = (await scanOk(actors.operator, { ...tail[i % tail.length], temperatureC: -18 })).version;
        }
      } finally {
        await api.stop();
      }
      const build = await timed(async () => {
        const template = await withDb(db.url, (ds) => readTemplate(ds, templateCode));
        const existing = await withDb(db.url, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM events`))[0].n));
        const copies = Math.max(0, Math.ceil((REBUILD_EVENTS - existing) / template.events.length));
        const appended = await appendCopies(db.url, template, copies, `R${RUN}-`, BUILD_WORKERS);
        await withDb(db.url, (ds) => ds.query('VACUUM (ANALYZE) events'));
        return { appended, copies, perLot: template.events.length };
      });
      const total = await withDb(db.url, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM events`))[0].n));
      notes.push(
        `rebuild: ${int(total)} events (${int(build.value.copies)} lots of ${build.value.perLot} events copied from one walked through the api, ` +
          `appended by the event store's appendMany, 200 streams a transaction) built in ${seconds(build.ms)}, then VACUUM ANALYZE`,
      );

      const env = { DATABASE_URL: db.url, LOG_LEVEL: 'log', NO_COLOR: '1', PAGE: String(REBUILD_PAGE) };
      const select = () => runNode([join(ROOT, 'bench', 'baselines', 'select-events.js')], env);
      // What `npm run projections:rebuild` runs once its build step is done (the suite's global setup built dist/).
      const rebuild = (budgetMs: number) => runNode([join(ROOT, 'dist', 'apps', 'api', 'src', 'cli', 'rebuild-projections.js')], env, budgetMs);
      // No separate warm-up: VACUUM has just read the table and its indexes.
      const baseA = await select();
      const budgetMs = REBUILD_BUDGET_S > 0 ? REBUILD_BUDGET_S * 1000 : Math.max(60_000, 6 * baseA.ms);
      const rb = await rebuild(budgetMs);
      const baseB = await select();
      for (const b of [baseA, baseB]) expect({ code: b.code, stderr: b.stderr.trim(), events: JSON.parse(b.stdout).events }).toEqual({ code: 0, stderr: '', events: total });
      const baseMs = median([baseA.ms, baseB.ms]);
      const baseCells: [string, string, string] = [`${int(total / (baseMs / 1000))} events/s`, '-', mib(Math.max(baseA.peakRss ?? 0, baseB.peakRss ?? 0) || null)];
      const label = `5 projections:rebuild, ${int(total)} events`;
      const baseNote = `the SELECT baseline (keyset pages of ${REBUILD_PAGE}, one connection) took ${seconds(baseA.ms)} before the rebuild and ${seconds(baseB.ms)} after it`;
      if (rb.killed) {
        // Out of budget: how far each projection had got (a checkpoint row exists once its projection has started).
        const progress = await withDb(db.url, (ds) =>
          ds.query(
            `SELECT c.subscription_id AS name,
                    (SELECT count(*) FROM events e WHERE (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)) AS n
               FROM subscription_checkpoints c ORDER BY c.subscription_id`,
          ) as Promise<{ name: string; n: string }[]>,
        );
        lines.push([label, `> ${seconds(rb.ms)}`, '-', mib(rb.peakRss), ...baseCells, `< ${ratio(baseMs / rb.ms)}`, '>= 0.3x']);
        notes.push(
          `rebuild: killed at its budget (${seconds(budgetMs)}); its checkpoints had then reached ` +
            `${progress.map((p) => `${p.name} ${int(Number(p.n))}`).join(', ')} of ${int(total)} events; ${baseNote}`,
        );
        return;
      }
      if (rb.code !== 0) throw new Error(`projections:rebuild exited ${rb.code}:\n${rb.stdout.slice(-3000)}\n${rb.stderr.slice(-3000)}`);
      const replayed = [...rb.stdout.matchAll(/(\S+): replayed (\d+) events/g)].map((m) => ({ name: m[1], n: Number(m[2]) }));
      expect(replayed.length).toBeGreaterThan(0);
      // Every projection saw every event (fewer = the rebuild skipped some).
      for (const p of replayed) expect({ name: p.name, replayed: p.n }).toEqual({ name: p.name, replayed: total });
      lines.push([label, `${int(total / (rb.ms / 1000))} events/s`, '-', mib(rb.peakRss), ...baseCells, ratio(baseMs / rb.ms), '>= 0.3x']);
      notes.push(
        `rebuild: the CLI took ${seconds(rb.ms)} (process start to exit; ${replayed.length} projections each replayed every event: ` +
          `${replayed.map((p) => p.name).join(', ')}); ${baseNote}`,
      );
    },
    3_600_000,
  );
});

// ---------------------------------------------------------------------------------------------
// Recall helpers

/** `?atLeast=` reads of the root on the named read models for each position (503 while lagging: read again). */
const reach = async (a: Actors, root: string, positions: number[], ...views: ('sale-eligibility' | 'lot' | 'history')[]): Promise<void> => {
  for (const view of views) {
    const path = view === 'lot' ? `/api/lots/${root}` : `/api/lots/${root}/${view}`;
    await pool(positions, 4, async (p) => {
      for (;;) {
        const res = await a.regulator.get(`${path}?atLeast=${p}`);
        if (res.status === 200) return;
        if (res.status !== 503) throw new Error(`GET ${path}?atLeast=${p} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    });
  }
};

/** The till's reads, with `?atLeast=` the recall's position: when the read side has reached it. */
const probeAtLeast = async (a: Actors, traceCode: string, position: number): Promise<void> => {
  for (;;) {
    const res = await a.retailer.get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`);
    if (res.status === 200) return;
    if (res.status !== 503) throw new Error(`?atLeast read answered ${res.status}`);
  }
};

/** One pass over `lots` as the till, 32 at a time: which were readable, which matched and when the last match was answered. */
const sweep = async (a: Actors, lots: readonly string[], matches: (e: Eligibility) => boolean) => {
  const started = performance.now();
  const notReadable: string[] = [];
  const matched: string[] = [];
  let lastMatchAt = 0;
  let allowed = 0;
  await pool(lots, CONNECTIONS, async (code) => {
    const res = await a.retailer.get<Eligibility>(`/api/lots/${code}/sale-eligibility`);
    if (res.status !== 200) notReadable.push(`${code}: ${res.status}`);
    else {
      if (res.body.allowed) allowed++;
      if (matches(res.body)) {
        matched.push(code);
        lastMatchAt = performance.now();
      }
    }
  });
  return { ms: performance.now() - started, notReadable, matched, lastMatchAt, allowed };
};

/**
 * Reads every lot (as the till, no ?atLeast) until each has shown the recall.
 * `lateMs`: when (from `since`) the last lot that did not show it on the first
 * sweep finally did (0 when all did on the first).
 */
const sweepUntil = async (a: Actors, lots: readonly string[], shows: (e: Eligibility) => boolean, since: number, timeoutMs: number) => {
  let pending = [...lots];
  let lateMs = 0;
  let sweeps = 0;
  let firstSweepMs = 0;
  while (pending.length > 0) {
    if (performance.now() - since > timeoutMs) throw new Error(`${pending.length} lots still not LOT_RECALLED after ${timeoutMs} ms`);
    const pass = await sweep(a, pending, shows);
    if (sweeps++ === 0) firstSweepMs = pass.ms;
    else if (pass.matched.length) lateMs = pass.lastMatchAt - since;
    if (pass.notReadable.length) throw new Error(`eligibility reads failed during the recall: ${pass.notReadable.slice(0, 5).join(', ')}`);
    const seen = new Set(pass.matched);
    pending = pending.filter((c) => !seen.has(c));
  }
  return { lateMs, sweeps, firstSweepMs };
};
