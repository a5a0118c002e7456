import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from './support/test-app';
import { attachDocument, registerLot, registerNetwork, scanOk, uid, walkToStore } from './support/fixtures';

/**
 * The shopper's view behind the QR code: no token, the facts a consumer may
 * see and nothing private, a plain status, and a per-address rate limit that
 * counts the real client behind a proxy (TRUST_PROXY names which hops to
 * believe; `true`, which believes what a client writes, stops the start).
 */

const run = promisify(execFile);

const PUBLIC_FIELDS = ['certificates', 'evaluatedAt', 'originCountries', 'path', 'product', 'status', 'traceCode'];

describe('public lot view (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const publicView = async (traceCode: string, atLeast: number) => {
    const res = await t.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${atLeast}`);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  };

  it('an on-sale lot: product, origin, the path by facility names and dates, valid certificates, ON_SALE — and nothing private', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const vehicle = { plate: `沪A-${uid()}`, disinfectedAt: new Date(Date.now() - 3_600_000).toISOString() };
    await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE', temperatureC: -5 }); // a temperature excursion flag
    const stored = await walkToStore(t, n, traceCode);
    const last = await scanOk(t, { traceCode, facilityId: n.store, action: 'DISINFECT', vehicle });

    const view = await publicView(traceCode, Math.max(stored.position, last.position));
    expect(Object.keys(view).sort()).toEqual(PUBLIC_FIELDS);
    expect(view).toMatchObject({ traceCode, product: { name: 'Frozen beef', category: 'FROZEN' }, originCountries: ['BR'], status: 'ON_SALE' });
    expect(view.path).toEqual([
      { facilityName: 'Port of entry', facilityType: 'PORT_OF_ENTRY', arrivedAt: expect.any(String), departedAt: expect.any(String) },
      { facilityName: 'Central warehouse', facilityType: 'CENTRAL_WAREHOUSE', arrivedAt: expect.any(String), departedAt: expect.any(String) },
      { facilityName: 'Wholesale market', facilityType: 'WHOLESALE_MARKET', arrivedAt: expect.any(String), departedAt: expect.any(String) },
      { facilityName: 'Retail store', facilityType: 'RETAIL_STORE', arrivedAt: expect.any(String), departedAt: null },
    ]);
    const certificates = view.certificates as Record<string, unknown>[];
    expect(certificates.map((c) => c.type)).toEqual(['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION']);
    for (const c of certificates) expect(c).toEqual({ type: c.type, present: true, valid: true, issuer: 'Authority', issuedAt: expect.any(String) });

    // Everything private the regulator sees of this lot: none of it may reach the shopper.
    const lot = (await t.http().get(`/api/lots/${traceCode}`).expect(200)).body;
    const history = (await t.http().get(`/api/lots/${traceCode}/history`).expect(200)).body;
    const events = history.events as { scanId: string | null; actor: { keyId: string; name: string } | null; data: Record<string, unknown> }[];
    const secrets = [
      ...lot.importers,
      ...lot.documents.map((d: { number: string }) => d.number),
      ...lot.flags.map((f: { message: string }) => f.message),
      ...Object.values(n.zones),
      vehicle.plate,
      'TRUCK-1',
      ...events.flatMap((e) => (e.scanId ? [e.scanId] : [])),
      ...events.flatMap((e) => (e.actor ? [e.actor.keyId, e.actor.name] : [])),
      n.port,
      n.warehouse,
      n.market,
      n.store,
    ];
    expect(secrets.length).toBeGreaterThan(20);
    const body = JSON.stringify(view);
    for (const secret of secrets) expect({ secret, leaked: body.includes(String(secret)) }).toEqual({ secret, leaked: false });
    for (const word of ['zone', 'plate', 'vehicle', 'scanId', 'actor', 'importer', 'number', 'violation', 'flag', 'temperature']) {
      expect(body.toLowerCase()).not.toContain(word.toLowerCase());
    }
  });

  it('names the status a shopper needs: NOT_FOR_SALE, RECALLED, SOLD_OUT, DESTROYED', async () => {
    const n = await registerNetwork(t);
    const blocked = await registerLot(t, n);
    expect((await publicView(blocked.traceCode, blocked.position)).status).toBe('NOT_FOR_SALE');
    const absent = (await publicView(blocked.traceCode, blocked.position)).certificates as { present: boolean; valid: boolean }[];
    expect(absent.every((c) => !c.present && !c.valid)).toBe(true);

    const positive = await registerLot(t, n);
    const attached = await attachDocument(t, positive.traceCode, 'NUCLEIC_ACID_TEST', { result: 'POSITIVE' });
    const recalled = await publicView(positive.traceCode, attached.position);
    expect(recalled.status).toBe('RECALLED');
    expect((recalled.certificates as { type: string; present: boolean; valid: boolean }[]).find((c) => c.type === 'NUCLEIC_ACID_TEST')).toMatchObject({
      present: true,
      valid: false,
    });

    const sold = await registerLot(t, n, undefined, 10, 'KG');
    await walkToStore(t, n, sold.traceCode);
    const sale = await scanOk(t, { traceCode: sold.traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 10 });
    expect((await publicView(sold.traceCode, sale.position)).status).toBe('SOLD_OUT');

    const destroyed = await registerLot(t, n);
    const res = await t.http().post(`/api/lots/${destroyed.traceCode}/destroy`).send({ reason: 'incinerated' }).expect(200);
    expect((await publicView(destroyed.traceCode, res.body.position)).status).toBe('DESTROYED');
  });

  it('needs no token and ignores a bad one; an unknown code is a 404 with a code', async () => {
    const n = await registerNetwork(t);
    const { traceCode, position } = await registerLot(t, n);
    await t.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${position}`).set('authorization', 'Bearer nonsense').expect(200);
    const unknown = await t.anonymous().get(`/api/public/lots/NOPE-${uid()}`);
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'LOT_NOT_FOUND' });
  });

  it('is rate limited per client address: 429 RATE_LIMITED with Retry-After once the limit is spent; other routes are not', async () => {
    const limited = await createTestApp({ publicRateLimitPerMinute: 5 });
    try {
      const n = await registerNetwork(limited);
      const { traceCode, position } = await registerLot(limited, n);
      await limited.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${position}`).expect(200);
      for (let i = 0; i < 4; i++) await limited.anonymous().get(`/api/public/lots/${traceCode}`).expect(200);
      const refused = await limited.anonymous().get(`/api/public/lots/${traceCode}`);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // Unknown codes count too: a scraper cannot walk trace codes for free.
      expect((await limited.anonymous().get(`/api/public/lots/NOPE-${uid()}`)).status).toBe(429);
      // Authenticated routes are not limited by it.
      await limited.http().get(`/api/lots/${traceCode}`).expect(200);
      await limited.anonymous().get('/api/health').expect(200);
    } finally {
      await limited.close();
    }
  });

  it('behind a proxy (TRUST_PROXY a hop count or its address): a new X-Forwarded-For per request still counts the one real client', async () => {
    for (const trustProxy of [1, ['loopback']]) {
      const behind = await createTestApp({ publicRateLimitPerMinute: 5, trustProxy });
      try {
        // As the probe did: a made-up address per request, which the proxy passes on with the client's real address appended.
        const statuses: number[] = [];
        for (let i = 0; i < 8; i++) {
          statuses.push((await behind.anonymous().get(`/api/public/lots/NOPE-${uid()}`).set('x-forwarded-for', `198.51.100.${i}, 203.0.113.7`)).status);
        }
        expect({ trustProxy, statuses }).toEqual({ trustProxy, statuses: [404, 404, 404, 404, 404, 429, 429, 429] });
        // Another shopper behind the same proxy has a budget of its own: the proxy's address is not what is counted.
        expect((await behind.anonymous().get(`/api/public/lots/NOPE-${uid()}`).set('x-forwarded-for', '203.0.113.8')).status).toBe(404);
      } finally {
        await behind.close();
      }
    }
  });

  it('TRUST_PROXY=true stops the start with one line naming the variable and why', async () => {
    const main = join(__dirname, '..', 'dist/apps/api/src/main.js');
    const failed = await run('node', [main], { env: { ...process.env, TRUST_PROXY: 'true', NO_COLOR: '1', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, timeout: 60_000 }).then(
      () => null,
      (e: { code?: number; stdout: string; stderr: string }) => e,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).toBe(1);
    const lines = `${failed!.stdout}${failed!.stderr}`.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([expect.stringContaining('failed to start: TRUST_PROXY must be a hop count')]);
    expect(lines[0]).toContain('true would believe any X-Forwarded-For a client writes itself');
  });
});
