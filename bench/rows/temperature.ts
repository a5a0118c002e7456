import { withDb } from '../support/db';
import { call, pool } from '../support/http';
import { generated, Load } from '../support/load';
import { Actors, bringToWarehouse, Network, registerLot, setUpNetwork } from '../support/network';
import { ApiProcess, startBaseline } from '../support/processes';
import { reach } from '../support/reads';
import { allRuns, alternate, clean, faults, Measured, Side } from '../support/rounds';
import { API_POOL, ROUNDS, TEMP_CONNECTIONS, TEMP_LOTS, TEMP_READ_LOG, TEMP_READ_REQUESTS, TEMP_READINGS, TEMP_WARMUP_LOTS } from '../support/scale';
import { int, median, mib, ms, percentile, ratio, seconds, timed } from '../support/stats';
import { side } from '../support/table';
import { BenchRun } from './context';

const MINUTE = 60_000;
const DEVICE = 'reefer-1';

interface TemperatureStore {
  api: ApiProcess;
  databaseUrl: string;
  network: Network;
  actors: Actors;
  /** Uploaded to in the warm-ups (each side's own run, not measured). */
  warmLots: string[];
  /** Uploaded to in the measured runs: TEMP_LOTS lots, once each. */
  lots: string[];
  /** The read row's lot: one upload of TEMP_READ_LOG readings. */
  readLot: string;
}

let store: Promise<TemperatureStore> | null = null;

/**
 * An api on a database of its own, with every lot the rows upload to
 * registered and received at the central warehouse, whose scanner's key (an
 * OPERATOR of that facility only) uploads: untimed, noted.
 */
const temperatureStore = (run: BenchRun): Promise<TemperatureStore> =>
  (store ??= (async () => {
    const databaseUrl = await run.database();
    const api = await run.api(databaseUrl);
    const { network, actors } = await setUpNetwork(api.url, run.adminToken);
    const tag = `${run.id}${network.port.slice(-4)}`;
    const codes = Array.from({ length: TEMP_WARMUP_LOTS + TEMP_LOTS + 1 }, (_, i) => `TEMP-${tag}-${i}`);
    const setUp = await timed(() =>
      pool(codes, 8, async (code) => {
        await registerLot(actors, network, code);
        await bringToWarehouse(actors, network, code);
      }),
    );
    run.table.note(`temperature: ${int(codes.length)} lots registered and received at the central warehouse over HTTP in ${seconds(setUp.ms)} (not timed)`);
    return {
      api,
      databaseUrl,
      network,
      actors,
      warmLots: codes.slice(0, TEMP_WARMUP_LOTS),
      lots: codes.slice(TEMP_WARMUP_LOTS, TEMP_WARMUP_LOTS + TEMP_LOTS),
      readLot: codes[codes.length - 1],
    };
  })());

/** The measured lots in ROUNDS runs, contiguous: each run uploads to its own lots (the api records a lot's readings once). */
const chunks = (lots: readonly string[]): string[][] => Array.from({ length: ROUNDS }, (_, r) => lots.slice(Math.floor((r * lots.length) / ROUNDS), Math.floor(((r + 1) * lots.length) / ROUNDS)));

/** A fixed amount of work: its rate is what was answered over how long it took (autocannon's per-second samples cut the last second). */
const perRun = (l: Load): Load => ({ ...l, rps: l.ok / l.seconds });

const describeUploads = (label: string, m: Measured): string =>
  `${label}: ${m.loads.map((l) => int(l.rps * TEMP_READINGS)).join(', ')} readings/s (warm-up ${int(m.warmup.rps * TEMP_READINGS)}); ` +
  `${m.loads.map((l) => `${int(l.ok)} uploads in ${seconds(l.seconds * 1000)}`).join(', ')}; p99 ${m.loads.map((l) => l.p99).join(', ')} ms; p50 ${median(m.loads.map((l) => l.p50))} ms`;

/** What the api recorded for these lots: uploads and readings. */
const recordedByApi = (url: string, lots: readonly string[]) =>
  withDb(url, async (ds) => {
    const [r] = await ds.query(`SELECT count(*) AS uploads, coalesce(sum(cardinality(at)), 0) AS readings FROM temperature_uploads WHERE trace_code = ANY($1)`, [lots]);
    return { uploads: Number(r.uploads), readings: Number(r.readings) };
  });

const recordedByBaseline = (url: string) =>
  withDb(url, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM bench_baseline_temperatures`))[0].n));

/**
 * Row 8a (issue 21): TEMP_LOTS uploads of TEMP_READINGS readings (1,000,000
 * at full scale), each lot once, through POST /api/lots/:code/temperatures,
 * TEMP_CONNECTIONS connections, against one multi-row INSERT of the same
 * readings per request into a plain table (trace_code, device_id, at, celsius)
 * in the same PostgreSQL. Each side warms up on lots of its own, then ROUNDS
 * runs alternate, each a fixed share of the lots (a lot's readings are
 * recorded once: a repeat would record nothing and measure nothing).
 */
export const temperatureIngestRow = async (run: BenchRun): Promise<void> => {
  const s = await temperatureStore(run);
  const baseline = await startBaseline('insert-server.js', { DATABASE_URL: s.databaseUrl, POOL_MAX: String(API_POOL) });
  try {
    // Every reading before now, the last after every lot's RECEIVE (the setup's scans): held at the warehouse then.
    const endAt = Date.now() - 1000;
    const measured = chunks(s.lots);
    const lotsOf = (tag: string) => (tag === 'w' ? s.warmLots : measured[Number(tag.slice(1))]);
    const uploadSide = (who: 'api' | 'base'): Side => ({
      service: who === 'api' ? s.api : baseline,
      run: async (_secs, tag) => {
        const lots = lotsOf(tag);
        return perRun(
          await generated(who === 'api' ? s.api.url : baseline.url, '', {
            connections: Math.min(TEMP_CONNECTIONS, lots.length),
            seconds: 3600,
            amount: lots.length,
            timeoutSeconds: 120,
            headers: who === 'api' ? { authorization: `Bearer ${s.actors.tokens.warehouse}` } : {},
            generator: { kind: 'temperatures', pathTemplate: `${who === 'api' ? '/api' : ''}/lots/:traceCode/temperatures`, traceCodes: lots, deviceId: DEVICE, readings: TEMP_READINGS, endAt },
          }),
        );
      },
    });
    const [api, base] = await alternate(uploadSide('api'), uploadSide('base'));
    const r = api.rps / base.rps;
    const total = (m: Measured) => (m.loads.reduce((a, l) => a + l.ok, 0) * TEMP_READINGS) / m.loads.reduce((a, l) => a + l.seconds, 0);
    run.table.add({
      key: '8a',
      path: `POST /api/lots/:code/temperatures (${int(TEMP_LOTS)} lots x ${int(TEMP_READINGS)} readings, ${TEMP_CONNECTIONS} conn)`,
      measured: side(`${int(api.rps * TEMP_READINGS)} readings/s`, api.p99, api.peak),
      baseline: side(`${int(base.rps * TEMP_READINGS)} readings/s`, base.p99, base.peak),
      ratio: ratio(r),
      target: '>= 0.25x',
      met: r >= 0.25,
    });
    run.table.note(
      describeUploads('temperature ingest, api', api),
      describeUploads('temperature ingest, baseline', base),
      `temperature ingest: ${int(TEMP_LOTS * TEMP_READINGS)} readings a side over ${ROUNDS} runs (medians above); over all runs the api took ` +
        `${int(total(api))} readings/s, the baseline ${int(total(base))} readings/s (${ratio(total(api) / total(base))})`,
    );
    expect(faults(api)).toEqual(clean(api));
    expect(faults(base)).toEqual(clean(base));
    // Every upload answered 201 and recorded whole: one row of TEMP_READINGS readings a lot; the baseline a row a reading.
    const uploaded = [...s.warmLots, ...s.lots];
    expect(allRuns(api).reduce((a, l) => a + l.ok, 0)).toBe(uploaded.length);
    expect(await recordedByApi(s.databaseUrl, uploaded)).toEqual({ uploads: uploaded.length, readings: uploaded.length * TEMP_READINGS });
    expect(await recordedByBaseline(s.databaseUrl)).toBe(uploaded.length * TEMP_READINGS);
  } finally {
    await baseline.stop();
  }
};

/** One sequential GET, timed from the request to the last byte of the answer (ms); anything but 200 fails the row. */
const timedGet = async (url: string, token: string): Promise<{ ms: number; body: unknown }> => {
  const t = await timed(() => call('GET', url, token));
  if (t.value.status !== 200) throw new Error(`GET ${url} answered ${t.value.status}: ${JSON.stringify(t.value.body).slice(0, 300)}`);
  return { ms: t.ms, body: t.value.body };
};

/**
 * Row 8b (issue 21): a lot's temperature series read, downsampled to at most
 * 1,000 points from a log of TEMP_READ_LOG readings, on the api that holds
 * row 8a's uploads: TEMP_READ_REQUESTS reads, one at a time, alternating with
 * the lot's own read (GET /api/lots/:code, for context: the target is the
 * series' p99 alone).
 */
export const temperatureReadRow = async (run: BenchRun): Promise<void> => {
  const s = await temperatureStore(run);
  const token = s.actors.tokens.warehouse;
  const path = `GET /api/lots/:code/temperatures (${int(TEMP_READ_LOG)} readings -> <= 1,000 points)`;
  const endAt = Date.now() - 1000;
  const readings = Array.from({ length: TEMP_READ_LOG }, (_, i) => ({ at: new Date(endAt - (TEMP_READ_LOG - 1 - i) * MINUTE).toISOString(), celsius: -20 + (i % 10) / 10 }));
  const uploaded = await s.actors.warehouse.ok<{ recorded: number; position: number }>(`/api/lots/${s.readLot}/temperatures`, { deviceId: DEVICE, readings }, [201]);
  expect(uploaded.recorded).toBe(TEMP_READ_LOG);
  // The lot's read models have the upload (and every earlier command): the reads start on a quiet api.
  await reach(s.actors, s.readLot, [uploaded.position], 'lot');
  const seriesUrl = `${s.api.url}/api/lots/${s.readLot}/temperatures`;
  const lotUrl = `${s.api.url}/api/lots/${s.readLot}`;
  const probe = await call<{ code?: string }>('GET', seriesUrl, token);
  if (probe.status === 404 && probe.body?.code === 'ROUTE_NOT_FOUND') {
    run.table.add({ key: '8b', path, measured: { value: 'not served' }, baseline: { value: '-' }, ratio: '-', target: 'p99 < 50 ms', met: false });
    run.table.note(`temperature read: GET /api/lots/:code/temperatures answered 404 ROUTE_NOT_FOUND: the route is not served yet`);
    return;
  }
  // The whole log, downsampled: every reading counted, at most 1,000 points (the route's default and most).
  const first = (await timedGet(seriesUrl, token)).body as { readings: number; points: unknown[] };
  const points = first.points.length;
  expect({ readings: first.readings, downsampled: points > 0 && points <= 1000 }).toEqual({ readings: TEMP_READ_LOG, downsampled: true });
  for (let i = 0; i < 20; i++) {
    await timedGet(seriesUrl, token);
    await timedGet(lotUrl, token);
  }
  const series: number[] = [];
  const lot: number[] = [];
  for (let i = 0; i < TEMP_READ_REQUESTS; i++) {
    series.push((await timedGet(seriesUrl, token)).ms);
    lot.push((await timedGet(lotUrl, token)).ms);
  }
  const [p50, p99, lot50, lot99] = [percentile(series, 50), percentile(series, 99), percentile(lot, 50), percentile(lot, 99)];
  run.table.add({
    key: '8b',
    path,
    measured: { value: `p50 ${ms(p50)}`, p99: ms(p99), peak: mib(s.api.peakRss()) },
    baseline: { value: `p50 ${ms(lot50)} (GET lot)`, p99: ms(lot99) },
    ratio: ratio(lot50 / p50),
    target: 'p99 < 50 ms',
    met: p99 < 50,
  });
  run.table.note(
    `temperature read: ${TEMP_READ_REQUESTS} reads of a ${int(TEMP_READ_LOG)}-reading log (${points} points answered), one at a time, alternating with ` +
      `GET /api/lots/:code (same lot, same token) after 20 of each to warm up; series p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(Math.max(...series))}; ` +
      `lot p50 ${ms(lot50)}, p99 ${ms(lot99)}`,
  );
};
