import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDb } from '../support/db';
import { call } from '../support/http';
import { cli, generated, ScanGenerator } from '../support/load';
import { Eligibility } from '../support/network';
import { startBaseline } from '../support/processes';
import { allRuns, alternate, clean, describeRuns, faults, Measured, Side } from '../support/rounds';
import { API_POOL, BATCH_CONNECTIONS, BATCH_SIZE, CONNECTIONS, SCAN_LOTS } from '../support/scale';
import { int, ratio } from '../support/stats';
import { Row, side } from '../support/table';
import { BenchRun } from './context';
import { recordedByApi, recordedByBaseline, settle, Store } from './stores';

/** Under 400 MiB: issue 17's bound on the api's peak RSS in the read, scan and batch rows. */
const RSS_BOUND = 400 * 2 ** 20;
const underBound = (peak: number | null) => peak !== null && peak < RSS_BOUND;

/** A row of api vs baseline rates, met when the ratio reaches `atLeast` (and, with `rssBound`, the api's peak is under 400 MiB). */
const rateRow = (key: string, path: string, api: Measured, base: Measured, unit: string, atLeast: number, rssBound: boolean, perRequest = 1): Row => {
  const r = api.rps / base.rps;
  return {
    key,
    path,
    measured: side(`${int(api.rps * perRequest)} ${unit}`, api.p99, api.peak),
    baseline: side(`${int(base.rps * perRequest)} ${unit}`, base.p99, base.peak),
    ratio: ratio(r),
    target: `>= ${atLeast}x${rssBound ? ', < 400 MiB' : ''}`,
    met: r >= atLeast && (!rssBound || underBound(api.peak)),
  };
};

/** The growth rows: the grown store against the fresh one, same load, same run. */
const growthRow = (key: string, path: string, grown: Measured, fresh: Measured, unit: string): Row => rateRow(key, path, grown, fresh, unit, 0.8, false);

/** Which sides a read or scan row alternates: the fresh store's api always, the baseline (rows 1, 2), the grown store's api (row 6). */
export interface Versus {
  baseline: boolean;
  grown: Store | null;
}

/** Alternates the sides `versus` names; their results by name (a side not run is undefined). */
const alternateVersus = async (fresh: Side, baseline: Side | null, grown: Side | null) => {
  const named = [['fresh', fresh] as const, ['baseline', baseline] as const, ['grown', grown] as const].filter((x): x is ['fresh' | 'baseline' | 'grown', Side] => x[1] !== null);
  const measured = await alternate(...named.map(([, side]) => side));
  const by = Object.fromEntries(named.map(([name], i) => [name, measured[i]])) as Partial<Record<'fresh' | 'baseline' | 'grown', Measured>>;
  for (const m of measured) expect(faults(m)).toEqual(clean(m));
  return { api: by.fresh!, base: by.baseline, big: by.grown };
};

/**
 * Row 1: the retailer's eligibility read, 32 connections, vs a bare node:http
 * server answering the same JSON. Row 6a: the same read of a lot walked on the
 * grown store, against the fresh store's.
 */
export const readRows = async (run: BenchRun, fresh: Store, versus: Versus): Promise<void> => {
  const path = (s: Store) => `/api/lots/${s.saleable}/sale-eligibility`;
  const answer = await fresh.actors.retailer.get<Eligibility>(path(fresh));
  if (answer.status !== 200) throw new Error(`eligibility answered ${answer.status}`);
  const bodyFile = join(run.scratch, 'eligibility.json');
  writeFileSync(bodyFile, JSON.stringify(answer.body));
  const baseline = versus.baseline ? await startBaseline('json-server.js', { BODY_FILE: bodyFile }) : null;
  try {
    const apiSide = (s: Store): Side => ({
      service: s.api,
      run: (secs) => cli(`${s.api.url}${path(s)}`, { connections: CONNECTIONS, seconds: secs, headers: { authorization: `Bearer ${s.actors.tokens.retailer}` } }),
    });
    const baseSide = baseline && { service: baseline, run: (secs: number) => cli(`${baseline.url}${path(fresh)}`, { connections: CONNECTIONS, seconds: secs }) };
    const { api, base, big } = await alternateVersus(apiSide(fresh), baseSide, versus.grown && apiSide(versus.grown));
    run.table.note(describeRuns(`read, api on the fresh store`, api));
    if (base) {
      run.table.add(rateRow('1', 'GET sale-eligibility (retailer token)', api, base, 'req/s', 0.5, true));
      run.table.note(describeRuns('read, baseline', base), `read: body ${JSON.stringify(answer.body).length} bytes`);
    }
    if (big && versus.grown) {
      run.table.add(growthRow('6a', `growth: eligibility read, ${versus.grown.name} vs fresh`, big, api, 'req/s'));
      run.table.note(describeRuns(`read, api on ${versus.grown.name}`, big));
    }
  } finally {
    await baseline?.stop();
  }
};

const scanTemplate = (s: Store) => ({ facilityId: s.network.warehouse, occurredAt: new Date().toISOString(), temperatureC: -18.5 });

/** Every answered scan was recorded once (a request still in flight when a run ended may be recorded too). */
const expectRecorded = async (m: Measured, prefixes: string[], count: (prefix: string) => Promise<number>, perRequest = 1) => {
  for (const [i, l] of allRuns(m).entries()) expect(await count(prefixes[i])).toBeGreaterThanOrEqual(l.ok * perRequest);
};

/**
 * Row 2: single scans, 32 connections, each with its own scan id over
 * SCAN_LOTS lots, vs `BEGIN; INSERT; COMMIT` per request in the same
 * PostgreSQL. Row 6b: the same scans on the grown store, against the fresh store's.
 */
let scanRowsRun = 0;

export const scanRows = async (run: BenchRun, fresh: Store, versus: Versus): Promise<void> => {
  // Scan ids unique across the rows that scan the same store (rows 2 and 6b): a reused id with another body is refused.
  const call = scanRowsRun++;
  const baseline = versus.baseline ? await startBaseline('insert-server.js', { DATABASE_URL: fresh.databaseUrl, POOL_MAX: String(API_POOL) }) : null;
  try {
    const prefixes = { fresh: [] as string[], baseline: [] as string[], grown: [] as string[] };
    const scanSide = (who: keyof typeof prefixes, s: Store, service: Side['service'], url: string, route: string, token: string | null): Side => ({
      service,
      run: async (secs, tag) => {
        const prefix = `S${run.id}${call}${tag}${who}`;
        prefixes[who].push(prefix);
        return generated(url, route, {
          connections: CONNECTIONS,
          seconds: secs,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          generator: { kind: 'scan', template: scanTemplate(s), traceCodes: s.scanLots, actions: ['DISINFECT', 'SAMPLE'], idPrefix: prefix },
        });
      },
    });
    const apiSide = (who: 'fresh' | 'grown', s: Store) => scanSide(who, s, s.api, s.api.url, '/api/scans', s.actors.tokens.warehouse);
    const { api, base, big } = await alternateVersus(
      apiSide('fresh', fresh),
      baseline && scanSide('baseline', fresh, baseline, baseline.url, '/scans', null),
      versus.grown && apiSide('grown', versus.grown),
    );
    run.table.note(describeRuns('scan, api on the fresh store', api, 'scans/s'));
    await expectRecorded(api, prefixes.fresh, (p) => recordedByApi(fresh.databaseUrl, p));
    if (base) {
      run.table.add(rateRow('2', `POST /api/scans (${SCAN_LOTS} lots)`, api, base, 'scans/s', 0.5, true));
      run.table.note(describeRuns('scan, baseline', base, 'scans/s'));
      await expectRecorded(base, prefixes.baseline, (p) => recordedByBaseline(fresh.databaseUrl, 'bench_baseline_scans', p));
      const rowBytes = await withDb(fresh.databaseUrl, async (ds) => [
        Number((await ds.query(`SELECT avg(pg_column_size(e.*)) AS b FROM events e WHERE metadata->>'scanId' LIKE $1`, [`S${run.id}%`]))[0].b),
        Number((await ds.query(`SELECT avg(pg_column_size(b.*)) AS b FROM bench_baseline_scans b`))[0].b),
      ]);
      run.table.note(`scan: an event row averages ${int(rowBytes[0])} bytes, a baseline row ${int(rowBytes[1])} bytes`);
    }
    await settle(run, fresh, 'scan');
    if (big && versus.grown) {
      run.table.add(growthRow('6b', `growth: single scan, ${versus.grown.name} vs fresh`, big, api, 'scans/s'));
      run.table.note(describeRuns(`scan, api on ${versus.grown.name}`, big, 'scans/s'));
      await expectRecorded(big, prefixes.grown, (p) => recordedByApi(versus.grown!.databaseUrl, p));
      await settle(run, versus.grown, 'scan');
    }
  } finally {
    await baseline?.stop();
  }
};

/** Row 3: POST /api/scans/batch, BATCH_SIZE scans a request, vs one multi-row INSERT of the same rows. */
export const batchRow = async (run: BenchRun, s: Store): Promise<void> => {
  const baseline = await startBaseline('insert-server.js', { DATABASE_URL: s.databaseUrl, POOL_MAX: String(API_POOL) });
  const path = `POST /api/scans/batch (${BATCH_SIZE}/req, ${BATCH_CONNECTIONS} conn)`;
  try {
    const generator = (prefix: string): ScanGenerator => ({
      kind: 'batch',
      size: BATCH_SIZE,
      template: scanTemplate(s),
      traceCodes: s.batchLots,
      actions: ['DISINFECT', 'SAMPLE'],
      idPrefix: prefix,
    });
    // Is the route served yet? One scan through it (a 404 ROUTE_NOT_FOUND = not yet).
    const probe = await call<{ code?: string; results?: { scanId: string; status: string; code?: string }[] }>(
      'POST',
      `${s.api.url}/api/scans/batch`,
      s.actors.tokens.warehouse,
      { scans: [{ scanId: `P${run.id}.0`, traceCode: s.batchLots[0], action: 'SAMPLE', facilityId: s.network.warehouse, occurredAt: new Date().toISOString() }] },
    );
    const served = !(probe.status === 404 && probe.body?.code === 'ROUTE_NOT_FOUND');
    if (served) expect({ status: probe.status, refused: probe.body?.results?.filter((r) => r.code) ?? 'no results' }).toEqual({ status: 200, refused: [] });

    const prefixes: { api: string[]; base: string[] } = { api: [], base: [] };
    const batchSide = (who: 'api' | 'base'): Side => ({
      service: who === 'api' ? s.api : baseline,
      run: async (secs, tag) => {
        const prefix = `B${run.id}${tag}${who}`;
        prefixes[who].push(prefix);
        return generated(who === 'api' ? s.api.url : baseline.url, who === 'api' ? '/api/scans/batch' : '/batch', {
          connections: BATCH_CONNECTIONS,
          seconds: secs,
          timeoutSeconds: 120,
          headers: who === 'api' ? { authorization: `Bearer ${s.actors.tokens.warehouse}` } : {},
          generator: generator(prefix),
        });
      },
    });
    if (!served) {
      // The baseline still runs, so its number is on record beside "not served".
      const [base] = await alternate(batchSide('base'));
      run.table.add({
        key: '3',
        path,
        measured: { value: 'not served' },
        baseline: side(`${int(base.rps * BATCH_SIZE)} scans/s`, base.p99, base.peak),
        ratio: '-',
        target: '>= 0.25x, < 400 MiB',
        met: false,
      });
      run.table.note(`batch: POST /api/scans/batch answered 404 ROUTE_NOT_FOUND: the route is not served yet`, describeRuns('batch, baseline', base, 'scans/s', BATCH_SIZE));
      expect(faults(base)).toEqual(clean(base));
      return;
    }
    const [api, base] = await alternate(batchSide('api'), batchSide('base'));
    run.table.add(rateRow('3', path, api, base, 'scans/s', 0.25, true, BATCH_SIZE));
    run.table.note(describeRuns('batch, api', api, 'scans/s', BATCH_SIZE), describeRuns('batch, baseline', base, 'scans/s', BATCH_SIZE));
    expect(faults(api)).toEqual(clean(api));
    expect(faults(base)).toEqual(clean(base));
    await expectRecorded(api, prefixes.api, (p) => recordedByApi(s.databaseUrl, p), BATCH_SIZE);
    await expectRecorded(base, prefixes.base, (p) => recordedByBaseline(s.databaseUrl, 'bench_baseline_batch_scans', p), BATCH_SIZE);
    await settle(run, s, 'batch');
  } finally {
    await baseline.stop();
  }
};
