import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cli, Load } from './support/load';
import { median } from './support/stats';
import { facilityUrn, locationUrn, lotClassUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { createTestApp, TestApp } from '../test/support/test-app';
import { minutesAgo, Network, registerLot, registerNetwork, uid, walkToStore } from '../test/support/fixtures';

/**
 * The new surfaces against the routes they stand beside, in the same run
 * (alternating A B A B so drift hits both):
 * - the shopper's HTML page against the public JSON view it renders (same query);
 * - an EPCIS export of a lot's events against the lot's JSON history;
 * - an EPCIS capture document of N dispatches against the same N scans as one batch.
 */
const SECONDS = Number(process.env.BENCH_SECONDS || 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CAPTURE_EVENTS = Number(process.env.BENCH_CAPTURE_EVENTS || 200);
const CONNECTIONS = 32;

const load = (url: string, headers: Record<string, string> = {}): Promise<Load> => cli(url, { connections: CONNECTIONS, seconds: SECONDS, headers });

/** A/B load, alternating; medians of each. */
const paired = async (a: () => Promise<Load>, b: () => Promise<Load>) => {
  const as: Load[] = [];
  const bs: Load[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    as.push(await a());
    bs.push(await b());
  }
  for (const l of [...as, ...bs]) expect({ errors: l.errors, non2xx: l.non2xx }).toEqual({ errors: 0, non2xx: 0 });
  return {
    a: { rps: median(as.map((l) => l.rps)), p99: median(as.map((l) => l.p99)) },
    b: { rps: median(bs.map((l) => l.rps)), p99: median(bs.map((l) => l.p99)) },
  };
};

describe('new surfaces against the routes they stand beside, same run', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('reports each pair and its ratio', async () => {
    t = await createTestApp({ publicRateLimitPerMinute: 1_000_000_000 });
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const stored = await walkToStore(t, n, traceCode);
    const regulator = { authorization: `Bearer ${t.tokens.regulator}` };
    const epcisUrl = `${base}/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClassUrn(traceCode))}&perPage=100`;
    await t.anonymous().get(`/t/${traceCode}`).expect(200);
    await t.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${stored.position}`).expect(200);
    await t.http().get(`/api/lots/${traceCode}/history?atLeast=${stored.position}`).expect(200);
    const exported = await t.http().get(`/api/epcis/events?MATCH_anyEPCClass=${encodeURIComponent(lotClassUrn(traceCode))}&perPage=100`).expect(200);
    const exportedEvents = (exported.body.epcisBody.queryResults.resultsBody.eventList as unknown[]).length;

    const page = await paired(
      () => load(`${base}/t/${traceCode}`),
      () => load(`${base}/api/public/lots/${traceCode}`),
    );
    const epcis = await paired(
      () => load(epcisUrl, regulator),
      () => load(`${base}/api/lots/${traceCode}/history`, regulator),
    );
    const capture = await captureVersusBatch(t, n);

    const row = (name: string, l: { rps: number; p99: number }) => `${name.padEnd(44)}${l.rps.toFixed(0).padStart(9)} ${l.p99.toFixed(1).padStart(10)}`;
    const report = [
      `${CONNECTIONS} connections, ${SECONDS} s x ${ROUNDS} rounds each, alternating; medians`,
      `${''.padEnd(44)}    req/s     p99 ms`,
      row("GET /t/:code (shopper's HTML page)", page.a),
      row('GET /api/public/lots/:code (JSON)', page.b),
      `  ratio page/JSON: x${(page.a.rps / page.b.rps).toFixed(2)}`,
      row(`GET /api/epcis/events (one lot, ${exportedEvents} events)`, epcis.a),
      row('GET /api/lots/:code/history', epcis.b),
      `  ratio EPCIS/history: x${(epcis.a.rps / epcis.b.rps).toFixed(2)}`,
      `capture of ${CAPTURE_EVENTS} dispatches, medians of ${ROUNDS + 1} rounds: EPCIS capture ${capture.capture.toFixed(0)} ms, scan batch ${capture.batch.toFixed(0)} ms`,
      `  ratio capture/batch: x${(capture.capture / capture.batch).toFixed(2)} (time; lower is faster)`,
    ].join('\n');
    console.log(report);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'surfaces.txt'), `${new Date().toISOString()}\n${report}\n`);
  });
});

/** N fresh lots at the port each time: one document of N dispatches, one batch of N dispatch scans; wall time of each request. */
const captureVersusBatch = async (t: TestApp, n: Network): Promise<{ capture: number; batch: number }> => {
  const lots = async () => {
    const codes: string[] = [];
    for (let i = 0; i < CAPTURE_EVENTS; i++) codes.push((await registerLot(t, n, `BENCH-${uid()}`)).traceCode);
    return codes;
  };
  const dispatch = (traceCode: string) => ({ traceCode, facilityId: n.port, toFacilityId: n.warehouse, occurredAt: minutesAgo(5), vehicle: { plate: 'TRUCK-1' } });
  const captures: number[] = [];
  const batches: number[] = [];
  for (let i = 0; i <= ROUNDS; i++) {
    const viaEpcis = await lots();
    const document = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { coldtrace: 'urn:coldtrace:epcis:' }],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: {
        eventList: viaEpcis.map((code) => ({
          type: 'ObjectEvent',
          eventID: `urn:uuid:${randomUUID()}`,
          eventTime: dispatch(code).occurredAt,
          eventTimeZoneOffset: '+08:00',
          action: 'OBSERVE',
          bizStep: 'shipping',
          quantityList: [{ epcClass: lotClassUrn(code) }],
          readPoint: { id: locationUrn(n.port, null) },
          destinationList: [{ type: 'location', destination: facilityUrn(n.warehouse) }],
          'coldtrace:vehicle': { plate: 'TRUCK-1' },
        })),
      },
    };
    let started = performance.now();
    const captured = await t.http().post('/api/epcis/capture').send(document);
    captures.push(performance.now() - started);
    expect({ status: captured.status, success: captured.body.success, errors: captured.body.errors }).toEqual({ status: 202, success: true, errors: [] });

    const viaBatch = await lots();
    started = performance.now();
    const batched = await t
      .http()
      .post('/api/scans/batch')
      .send({ scans: viaBatch.map((code) => ({ scanId: `SCAN-${uid()}`, action: 'DISPATCH', ...dispatch(code) })) });
    batches.push(performance.now() - started);
    expect(batched.status).toBe(200);
    expect(batched.body.results.filter((r: { status: string }) => r.status !== 'accepted')).toEqual([]);
  }
  return { capture: median(captures), batch: median(batches) };
};
