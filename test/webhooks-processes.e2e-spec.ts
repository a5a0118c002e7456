import { Client } from 'pg';
import { ApiProcess, startApiProcess } from './support/api-process';
import { minutesAgo, uid } from './support/fixtures';
import { waitFor } from './support/wait-for';
import { WebhookReceiver } from './support/webhook-receiver';

const ENV = { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8', WEBHOOK_RETRY_MIN_MS: '100', WEBHOOK_RETRY_MAX_MS: '500', AUTH_REFRESH_MS: '100' };

/**
 * Deliveries across api processes, as real OS processes on one database:
 * two of them share the work and make each attempt once; one killed -9 in
 * the middle of sending loses nothing (what it had in flight is sent again
 * once its claim runs out: at least once, and no more than that).
 */
describe('webhooks across processes (e2e, real processes, one PostgreSQL)', () => {
  const started: ApiProcess[] = [];
  let receiver: WebhookReceiver;
  afterAll(async () => {
    // The first owns the database: it goes last.
    for (const p of [...started].reverse()) await p.dispose();
    await receiver?.down();
  });

  const ok = async (p: ApiProcess, method: string, path: string, body: unknown, token?: string) => {
    const res = await p.call(method, path, body, token);
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('two processes deliver each once; one killed -9 mid-delivery and restarted loses none', async () => {
    const a = await startApiProcess(ENV);
    started.push(a);
    const tag = uid();
    const port = `PORT-${tag}`;
    const market = `WM-${tag}`;
    await ok(a, 'POST', '/api/facilities', { id: port, name: 'Port', type: 'PORT_OF_ENTRY', zones: [] });
    await ok(a, 'POST', '/api/facilities', { id: market, name: 'Market', type: 'WHOLESALE_MARKET', zones: [{ id: 'COLD-1', kind: 'DEDICATED_STORAGE' }] });
    const scanner = (await ok(a, 'POST', '/api/keys', { name: 'port scanner', role: 'OPERATOR', facilityIds: [port] })).token as string;
    const buyer = (await ok(a, 'POST', '/api/keys', { name: 'market', role: 'OPERATOR', facilityIds: [market] })).token as string;
    receiver = await WebhookReceiver.start();
    await ok(a, 'POST', '/api/subscriptions', { url: receiver.url, events: ['lot.dispatched_to_you'] }, buyer);
    const b = await startApiProcess(ENV, a);
    started.push(b);

    const dispatchLots = async (count: number, via: ApiProcess[]) => {
      const lots: string[] = [];
      for (let i = 0; i < count; i++) {
        const p = via[i % via.length];
        const traceCode = `L-${uid()}`;
        await ok(p, 'POST', '/api/lots', { traceCode, product: { name: 'Frozen beef', category: 'FROZEN' }, originCountry: 'BR', importer: 'Acme', quantity: { amount: 10, unit: 'KG' }, portOfEntryId: port, enteredAt: minutesAgo(60) }, scanner);
        await ok(p, 'POST', '/api/scans', { scanId: `D-${traceCode}`, traceCode, facilityId: port, action: 'DISPATCH', toFacilityId: market, vehicle: { plate: 'T-1' }, occurredAt: minutesAgo(1) }, scanner);
        lots.push(traceCode);
      }
      return lots;
    };

    // Two processes, both fanning out and sending.
    const first = await dispatchLots(20, [a, b]);
    await waitFor('the first 20 delivered', async () => receiver.distinct().length === first.length, 30_000, 50);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.received.length).toBe(first.length);
    const db = new Client({ connectionString: a.databaseUrl });
    await db.connect();
    try {
      const attempts = await db.query(`SELECT d.webhook_id, count(a.*)::int AS n FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id GROUP BY d.webhook_id`);
      expect(attempts.rows.map((r) => r.n)).toEqual(first.map(() => 1));

      // A slow receiver: attempts are in flight when the first process is killed.
      receiver.delayMs = 3_000;
      const before = receiver.started;
      const second = await dispatchLots(10, [a]);
      await waitFor('attempts in flight', async () => receiver.started - before >= 3, 20_000, 20);
      a.child.kill('SIGKILL');
      await a.exited;
      const inFlight = receiver.started - receiver.answered;
      receiver.delayMs = 0;
      const restarted = await startApiProcess(ENV, a);
      started.splice(1, 0, restarted);
      // What the killed process had in flight is sent again once its claim runs out.
      await waitFor('every delivery settled', async () => (await db.query(`SELECT 1 FROM webhook_deliveries WHERE state <> 'delivered'`)).rows.length === 0, 60_000, 200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.distinct().map((r) => r.body.data.traceCode).sort()).toEqual([...first, ...second].sort());
      // At least once: only what was in flight at the kill may have come twice.
      expect(receiver.received.length - receiver.distinct().length).toBeLessThanOrEqual(inFlight);
      const states = await db.query(`SELECT state, count(*)::int AS n FROM webhook_deliveries GROUP BY state`);
      expect(states.rows).toEqual([{ state: 'delivered', n: first.length + second.length }]);
      // Each attempt made once, by whichever process claimed it: numbered without a gap or a repeat.
      const numbering = await db.query(`SELECT bool_and(n = top) AS gapless FROM (SELECT count(*) AS n, max(attempt) AS top FROM webhook_attempts GROUP BY delivery_id) x`);
      expect(numbering.rows[0].gapless).toBe(true);
    } finally {
      await db.end();
    }
  }, 180_000);
});
