import { withDb } from '../support/db';
import { Genealogy, buildGenealogy } from '../support/genealogy';
import { pool } from '../support/http';
import { Actors, bringToWarehouse, Eligibility, minutesAgo, Network, registerLot, scanOk, setUpNetwork, walkToStore } from '../support/network';
import { ApiProcess } from '../support/processes';
import { reach } from '../support/reads';
import { SCAN_LOTS, TRACE_SHAPE } from '../support/scale';
import { seconds } from '../support/stats';
import { BenchRun } from './context';

/** An api with the lots the read, scan, batch and trace rows use. */
export interface Store {
  /** Which store, in notes: "fresh" or "1,000,000 events". */
  name: string;
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

/** One document, so each lot carries papers like a real one (and the scans are judged against them). */
const attachPapersOnce = (a: Actors, traceCode: string) =>
  a.inspector.ok(`/api/lots/${traceCode}/documents`, {
    type: 'CUSTOMS_DECLARATION',
    number: `${traceCode}.CD`,
    issuer: 'Shanghai Customs',
    issuedAt: minutesAgo(500),
  });

const lotsAtWarehouse = async (a: Actors, n: Network, prefix: string, count: number): Promise<string[]> => {
  const codes = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  await pool(codes, 8, async (code) => {
    await registerLot(a, n, code);
    await attachPapersOnce(a, code);
    await bringToWarehouse(a, n, code);
  });
  return codes;
};

/** Sets up a network, a saleable lot and the scan lots (and batch lots, `batchLots` of them) on a running api. */
export const prepareStore = async (run: BenchRun, name: string, api: ApiProcess, databaseUrl: string, batchLots = SCAN_LOTS): Promise<Store> => {
  const { network, actors } = await setUpNetwork(api.url, run.adminToken);
  const tag = `${run.id}${network.port.slice(-4)}`;
  const saleable = `SALE-${tag}`;
  await registerLot(actors, network, saleable);
  const stored = await walkToStore(actors, network, saleable);
  const verdict = await actors.retailer.get<Eligibility>(`/api/lots/${saleable}/sale-eligibility?atLeast=${stored.position}`);
  if (verdict.status !== 200 || !verdict.body.allowed) throw new Error(`the walked lot is not saleable: ${verdict.status} ${JSON.stringify(verdict.body)}`);
  const store: Store = {
    name,
    api,
    databaseUrl,
    network,
    actors,
    saleable,
    scanLots: await lotsAtWarehouse(actors, network, `SCAN-${tag}`, SCAN_LOTS),
    batchLots: await lotsAtWarehouse(actors, network, `BATCH-${tag}`, batchLots),
  };
  await settle(run, store); // the rows start on a quiet api
  return store;
};

let fresh: Promise<Store> | null = null;

/** The api on a fresh database: the read, scan and batch rows, and the growth rows' "fresh store". */
export const freshStore = (run: BenchRun): Promise<Store> =>
  (fresh ??= (async () => {
    const url = await run.database();
    return prepareStore(run, 'fresh', await run.api(url), url);
  })());

/**
 * After an ingest row, until the api's read side has caught up (untimed for the rows, reported): one more
 * scan, committed after every scan of the row, then ?atLeast=<its position> reads on its read models.
 */
export const settle = async (run: BenchRun, s: Store, what?: string): Promise<void> => {
  const started = performance.now();
  const last = await scanOk(s.actors.warehouse, { traceCode: s.scanLots[0], facilityId: s.network.warehouse, action: 'SAMPLE' });
  await reach(s.actors, s.scanLots[0], [last.position], 'sale-eligibility', 'lot', 'history');
  if (what) run.table.note(`${what}: the ${s.name} store's read side caught up ${seconds(performance.now() - started)} after the last run`);
};

const families = new Map<Store, Promise<Genealogy>>();

/** The growth row's family on a store (built once): 1 -> 10 -> 1,000 lots by default, every lot projected. */
export const traceFamily = (s: Store): Promise<Genealogy> => {
  if (!families.has(s))
    families.set(
      s,
      (async () => {
        const g = await buildGenealogy(s.actors, s.network, TRACE_SHAPE);
        await reach(s.actors, g.root, g.positions, 'lot');
        return g;
      })(),
    );
  return families.get(s)!;
};

/** How many distinct scan ids with this prefix the api recorded (events' metadata) or the baseline stored. */
export const recordedByApi = async (databaseUrl: string, prefix: string): Promise<number> =>
  withDb(databaseUrl, async (ds) => Number((await ds.query(`SELECT count(DISTINCT metadata->>'scanId') AS n FROM events WHERE metadata->>'scanId' LIKE $1`, [`${prefix}.%`]))[0].n));
export const recordedByBaseline = async (databaseUrl: string, table: string, prefix: string): Promise<number> =>
  withDb(databaseUrl, async (ds) => Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE scan_id LIKE $1`, [`${prefix}.%`]))[0].n));
