import { connect, type Socket } from 'node:net';
import { Client } from 'pg';
import { ApiProcess, startApiProcess } from './support/api-process';
import { waitFor } from './support/wait-for';

/**
 * SIGTERM always ends the api within SHUTDOWN_GRACE_MS (issue 16). Closing
 * waits for the requests in flight, and some never end by themselves: here a
 * capture held by a lock the test owns, and a client that stops sending its
 * body halfway. Before, such a process outlived any grace (the finding: a
 * capture held the event loop for 17 minutes and SIGTERM went unheard).
 */

/** Short, so the test is; the default is 8 s. */
const GRACE_MS = 1500;
/** A loaded 2-core CI machine may take a while to schedule the exit itself. */
const EXIT_HEADROOM_MS = 2000;

/** A client that sends its headers (the server answers 100 Continue: the request is in flight) and only part of its body, then nothing. */
const stalledUpload = async (port: number): Promise<Socket> => {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const answered = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  socket.write(['POST /api/epcis/capture HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 100000', 'Expect: 100-continue', '', ''].join('\r\n'));
  expect(await answered).toMatch(/^HTTP\/1\.1 100 Continue/);
  socket.write('{"type":"EPCISDocument","epcisBody":{"eventList":[');
  return socket;
};

const shutdownLines = (api: ApiProcess) => api.lines.filter((l) => /SIGTERM/.test(l)).map((l) => JSON.parse(l) as { level: string; msg: string });

describe('SIGTERM ends the api within SHUTDOWN_GRACE_MS (e2e, child process, real PostgreSQL)', () => {
  let api: ApiProcess | null = null;

  afterEach(async () => {
    await api?.dispose();
    api = null;
  });

  it('nothing in flight: it closes and exits 0, without waiting for the grace', async () => {
    api = await startApiProcess({ SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    api.child.kill('SIGTERM');
    // 0: closed before the grace ran out (the grace exits with 1).
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(shutdownLines(api)).toEqual([expect.objectContaining({ level: 'info', msg: expect.stringContaining(`SIGTERM received, shutting down (within ${GRACE_MS} ms)`) })]);
  });

  it('a capture held by a lock and an upload that never ends: it exits 1 once the grace is over, and says why', async () => {
    const running = await startApiProcess({ SHUTDOWN_GRACE_MS: String(GRACE_MS) });
    api = running;
    expect((await running.call('POST', '/api/facilities', { id: 'PORT-1', name: 'Port', type: 'PORT_OF_ENTRY', zones: [] })).status).toBe(201);
    const operator = (await running.call('POST', '/api/keys', { name: 'port system', role: 'OPERATOR', facilityIds: ['PORT-1'] })).body.token as string;

    // The capture waits on its job's insert for as long as the test holds this lock: a capture that does not end by itself.
    const holder = new Client({ connectionString: running.databaseUrl });
    await holder.connect();
    let upload: Socket | null = null;
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE epcis_capture_jobs IN EXCLUSIVE MODE');
      const document = { '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: new Date().toISOString(), epcisBody: { eventList: [] } };
      const capture = running.call('POST', '/api/epcis/capture', document, operator).catch((e: Error) => e);
      await waitFor('the capture to wait for the jobs table', async () => {
        const rows: { n: number }[] = (await holder.query(`SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'epcis_capture_jobs' AND NOT l.granted`)).rows;
        return rows[0].n > 0;
      });
      upload = await stalledUpload(running.port);

      const signalled = performance.now();
      running.child.kill('SIGTERM');
      const exit = await running.exited;
      const tookMs = performance.now() - signalled;
      expect(exit).toEqual({ code: 1, signal: null });
      // It tried to close for the whole grace, and did not outlive it.
      expect(tookMs).toBeGreaterThanOrEqual(GRACE_MS);
      expect(tookMs).toBeLessThan(GRACE_MS + EXIT_HEADROOM_MS);
      expect(shutdownLines(running)).toEqual([
        expect.objectContaining({ level: 'info', msg: expect.stringContaining('SIGTERM received') }),
        expect.objectContaining({ level: 'warn', msg: expect.stringContaining(`SIGTERM: not closed after ${GRACE_MS} ms`) }),
      ]);
      // The capture's client saw its connection end, not an answer.
      expect(await capture).toEqual(expect.objectContaining({ message: 'fetch failed' }));
    } finally {
      upload?.destroy();
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  });
});
