import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { facilityUrn, lotClassUrn } from '../apps/api/src/epcis/epcis-identifiers';
import { ApiAnswer, ApiProcess, startApiProcess } from './support/api-process';
import { minutesAgo, uid } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * EPCIS capture as jobs (issue 20): GS1-Capture-Error-Behaviour (rollback,
 * the default, or proceed), documents of up to 10,000 events captured in the
 * background (202 at once, running until done) that survive the api killed
 * with -9 (resumed by the next process, nothing doubled: scans are idempotent
 * by eventID), and GS1's limit headers. The api runs as its own process
 * (dist/, as `npm start` runs it), so it can be killed; a short lease
 * (EPCIS_CAPTURE_LEASE_MS) lets the next process take the job over soon.
 */

const CONTEXT = ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'];
const PORT = 'PORT-1';
const WAREHOUSE = 'CW-1';
const ENV = { EPCIS_CAPTURE_LEASE_MS: '2000' };
/** Lots a large document samples, in turn (one lot's stream of 10,000 events is not what a day looks like). */
const LOTS_PER_DOCUMENT = 10;

interface Job {
  captureID: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: string;
  finishedAt: string | null;
  eventCount: number;
  eventsDone: number;
  position: number;
  errors: { eventID: string | null; code: string }[];
  failure: { code: string; message: string } | null;
}

const documentText = (eventList: unknown[]): string =>
  JSON.stringify({ '@context': CONTEXT, type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList } });

/** A sample of the lot at the port: one scan, its id the eventID. */
const sampleAt = (traceCode: string, i: number) => ({
  type: 'ObjectEvent',
  eventID: `urn:uuid:${randomUUID()}`,
  eventTime: minutesAgo(500 - i / 100),
  eventTimeZoneOffset: '+08:00',
  action: 'OBSERVE',
  bizStep: 'sampling',
  quantityList: [{ epcClass: lotClassUrn(traceCode) }],
  readPoint: { id: facilityUrn(PORT) },
  bizLocation: { id: facilityUrn(PORT) },
});

describe('EPCIS capture jobs: error behaviour, large documents in the background, restarts (e2e, the api as a process, real PostgreSQL)', () => {
  /** The process that took the database first: disposing of it drops the database, so it goes last. */
  let first: ApiProcess;
  /** The process answering now (a later one after a kill). */
  let api: ApiProcess;
  const later: ApiProcess[] = [];
  let db: Client;
  let operator: string;

  const capture = (text: string, headers: Record<string, string> = {}): Promise<ApiAnswer> => post(api, text, headers);
  const post = async (to: ApiProcess, text: string, headers: Record<string, string>): Promise<ApiAnswer> => {
    const res = await fetch(`${to.base}/api/epcis/capture`, { method: 'POST', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json', ...headers }, body: text });
    return { status: res.status, headers: res.headers, body: (await res.json()) as ApiAnswer['body'] };
  };
  const jobOf = async (captureId: string): Promise<Job> => {
    const res = await api.call('GET', `/api/epcis/capture/${captureId}`, undefined, operator);
    if (res.status !== 200) throw new Error(`GET job answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as unknown as Job;
  };
  /** Polls the job until it ends: every eventsDone seen on the way, and the job as it ended. */
  const ended = async (captureId: string): Promise<{ job: Job; seen: number[] }> => {
    const seen: number[] = [];
    let job: Job | null = null;
    await waitFor(
      `capture ${captureId} to end`,
      async () => {
        job = await jobOf(captureId);
        seen.push(job.eventsDone);
        return !job.running;
      },
      100_000,
      100,
    );
    return { job: job!, seen };
  };
  /** The lots' LotSampled events, and how many distinct scans they are. */
  const samplesOf = async (lots: readonly string[]): Promise<{ events: number; scans: number }> => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS events, count(DISTINCT data->>'scanId')::int AS scans FROM events WHERE type = 'LotSampled' AND stream_id = ANY($1)`,
      [lots.map((l) => `lot-${l}`)],
    );
    return rows[0] as { events: number; scans: number };
  };

  const registerLot = async (): Promise<string> => {
    const traceCode = `LOT-${uid()}`;
    const res = await api.call(
      'POST',
      '/api/lots',
      { traceCode, product: { name: 'Frozen beef', category: 'FROZEN' }, originCountry: 'BR', importer: 'Acme Imports Ltd', quantity: { amount: 100, unit: 'KG' }, portOfEntryId: PORT, enteredAt: minutesAgo(600) },
      operator,
    );
    expect(res.status).toBe(201);
    return traceCode;
  };
  /** `count` samples of a few fresh lots, in turn. */
  const largeDocument = async (count: number): Promise<{ lots: string[]; events: ReturnType<typeof sampleAt>[] }> => {
    const lots: string[] = [];
    for (let i = 0; i < LOTS_PER_DOCUMENT; i++) lots.push(await registerLot());
    return { lots, events: Array.from({ length: count }, (_, i) => sampleAt(lots[i % lots.length], i)) };
  };

  beforeAll(async () => {
    first = await startApiProcess(ENV);
    api = first;
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    for (const [id, type] of [
      [PORT, 'PORT_OF_ENTRY'],
      [WAREHOUSE, 'CENTRAL_WAREHOUSE'],
    ]) {
      expect((await api.call('POST', '/api/facilities', { id, name: id, type, zones: [] })).status).toBe(201);
    }
    operator = (await api.call('POST', '/api/keys', { name: 'port system', role: 'OPERATOR', facilityIds: [PORT, WAREHOUSE] })).body.token as string;
  });

  afterAll(async () => {
    await db?.end();
    for (const p of later) await p.dispose();
    await first?.dispose();
  });

  it("OPTIONS /api/epcis/capture, with no key: 204 with GS1's capture limits (10,000 events, 10 MB) and the methods", async () => {
    const res = await fetch(`${api.base}/api/epcis/capture`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('gs1-epcis-capture-limit')).toBe('10000');
    expect(res.headers.get('gs1-epcis-capture-file-size-limit')).toBe(String(10 * 1024 * 1024));
    expect(res.headers.get('allow')).toBe('OPTIONS, POST');
  });

  it('rollback (the default): a 100-event document with one bad event records nothing, the job names the bad event; proceed records the other 99', async () => {
    const lot = await registerLot();
    const events = Array.from({ length: 100 }, (_, i) => sampleAt(lot, i));
    // Read at the port, located at the warehouse: two facilities, no scan of ours.
    events[42] = { ...events[42], bizLocation: { id: facilityUrn(WAREHOUSE) } };
    const text = documentText(events);

    for (const headers of [{}, { 'GS1-Capture-Error-Behaviour': 'rollback' }] as Record<string, string>[]) {
      const res = await capture(text, headers);
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'rollback', eventCount: 100, eventsDone: 100, position: 0, failure: null });
      expect((res.body.errors as Job['errors']).map((e) => [e.eventID, e.code])).toEqual([[events[42].eventID, 'EPCIS_NOT_MAPPED']]);
      expect(res.headers.get('gs1-epcis-capture-limit')).toBe('10000');
      expect(await samplesOf([lot])).toEqual({ events: 0, scans: 0 });
    }

    const res = await capture(text, { 'GS1-Capture-Error-Behaviour': 'proceed' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'proceed', eventCount: 100, eventsDone: 100 });
    expect((res.body.errors as Job['errors']).map((e) => [e.eventID, e.code])).toEqual([[events[42].eventID, 'EPCIS_NOT_MAPPED']]);
    expect(await samplesOf([lot])).toEqual({ events: 99, scans: 99 });
    // Kept: read back, the job is the same.
    expect(await jobOf(res.body.captureID as string)).toEqual(res.body);
  });

  it('GS1-Capture-Error-Behaviour other than rollback or proceed: 400 VALIDATION_FAILED naming the header, nothing captured', async () => {
    const lot = await registerLot();
    const jobs = Number((await db.query(`SELECT count(*)::int AS n FROM epcis_capture_jobs`)).rows[0].n);
    const res = await capture(documentText([sampleAt(lot, 0)]), { 'GS1-Capture-Error-Behaviour': 'ignore' });
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: { header: 'GS1-Capture-Error-Behaviour', allowed: ['rollback', 'proceed'], value: 'ignore' },
    });
    expect(await samplesOf([lot])).toEqual({ events: 0, scans: 0 });
    expect(Number((await db.query(`SELECT count(*)::int AS n FROM epcis_capture_jobs`)).rows[0].n)).toBe(jobs);
  });

  it('a 10,000-event document: 202 at once with the job running, its progress readable, then done with every event recorded once', async () => {
    const { lots, events } = await largeDocument(10_000);
    const res = await capture(documentText(events));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ running: true, success: false, captureErrorBehaviour: 'rollback', eventCount: 10_000, eventsDone: 0, finishedAt: null, errors: [], failure: null });
    expect(res.headers.get('location')).toBe(`/api/epcis/capture/${res.body.captureID}`);
    expect(res.headers.get('gs1-epcis-capture-limit')).toBe('10000');
    expect(res.headers.get('gs1-epcis-capture-file-size-limit')).toBe(String(10 * 1024 * 1024));

    const { job, seen } = await ended(res.body.captureID as string);
    console.log(`10,000 events in the background: eventsDone seen ${[...new Set(seen)].join(', ')}`);
    expect(job).toMatchObject({ running: false, success: true, eventCount: 10_000, eventsDone: 10_000, errors: [], failure: null });
    expect(job.finishedAt).not.toBeNull();
    expect(job.position).toBeGreaterThan(0);
    // Progress only grows.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await samplesOf(lots)).toEqual({ events: 10_000, scans: 10_000 });
    // Its events are dropped once it ends.
    expect((await db.query(`SELECT count(*)::int AS n FROM epcis_capture_job_events WHERE capture_id = $1`, [job.captureID])).rows[0].n).toBe(0);
  });

  it('rollback in the background: 1,500 events with one bad one record nothing, the job names it', async () => {
    const { lots, events } = await largeDocument(1_500);
    events[1_234] = { ...events[1_234], bizLocation: { id: facilityUrn(WAREHOUSE) } };
    const res = await capture(documentText(events));
    expect({ status: res.status, running: res.body.running }).toEqual({ status: 202, running: true });
    const { job } = await ended(res.body.captureID as string);
    expect(job).toMatchObject({ running: false, success: false, eventsDone: 1_500, failure: null });
    expect(job.errors.map((e) => [e.eventID, e.code])).toEqual([[events[1_234].eventID, 'EPCIS_NOT_MAPPED']]);
    expect(await samplesOf(lots)).toEqual({ events: 0, scans: 0 });
  });

  it('the api killed with -9 halfway through a 10,000-event job: the next process takes it over and ends it, nothing doubled; sent again, nothing new', async () => {
    const { lots, events } = await largeDocument(10_000);
    const text = documentText(events);
    // proceed: a slice at a time, its progress written after each (a rollback is one transaction, all or nothing).
    const res = await capture(text, { 'GS1-Capture-Error-Behaviour': 'proceed' });
    expect({ status: res.status, running: res.body.running }).toEqual({ status: 202, running: true });
    const captureId = res.body.captureID as string;

    let doneAtKill = 0;
    await waitFor(
      'the job to be well under way',
      async () => {
        doneAtKill = (await jobOf(captureId)).eventsDone;
        return doneAtKill >= 2_500;
      },
      240_000,
      50,
    );
    api.child.kill('SIGKILL');
    await api.exited;
    const atKill = await samplesOf(lots);
    console.log(`killed at eventsDone ${doneAtKill} (${atKill.events} recorded)`);
    expect(atKill.events).toBeLessThan(10_000);
    // Left running by a dead process, until another takes it over.
    expect((await db.query(`SELECT running FROM epcis_capture_jobs WHERE capture_id = $1`, [captureId])).rows[0].running).toBe(true);

    api = await startApiProcess(ENV, first);
    later.push(api);
    const { job } = await ended(captureId).catch((e: unknown) => {
      console.log(api.lines.join('\n'));
      throw e;
    });
    console.log(`after the restart: ${JSON.stringify({ running: job.running, success: job.success, eventsDone: job.eventsDone, failure: job.failure })}`);
    // Finished, or failed with a reason: never running for ever.
    if (job.failure) {
      expect(job.failure.message).toEqual(expect.any(String));
    } else {
      expect(job).toMatchObject({ running: false, success: true, eventsDone: 10_000, errors: [] });
    }
    const after = await samplesOf(lots);
    expect(after.events).toBe(after.scans);
    if (!job.failure) expect(after).toEqual({ events: 10_000, scans: 10_000 });

    // The same document again, by the same key: a new job, nothing new recorded, no error.
    const again = await post(api, text, {});
    expect(again.status).toBe(202);
    const { job: replay } = await ended(again.body.captureID as string);
    expect(replay).toMatchObject({ running: false, success: true, eventsDone: 10_000, errors: [] });
    expect(await samplesOf(lots)).toEqual({ events: 10_000, scans: 10_000 });
  });
});
