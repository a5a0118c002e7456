import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Response } from 'supertest';
import type { App } from 'supertest/types';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork } from './support/fixtures';

/**
 * Credentials as an attacker would try them: empty, oversized, non-ASCII,
 * revoked, unknown, in the wrong scheme, or valid but of the wrong role. Each
 * is a 401 (with WWW-Authenticate) or a 403 with a code, never a 500; the
 * scheme's name is case-insensitive (RFC 7235). Failed authentications are
 * limited per client address: past the budget, 429 with Retry-After, even
 * for a right token never used from there, while keys that already worked
 * from that address keep working. And the HTTP surface around them: security
 * headers on every answer, CORS closed unless an origin is allow-listed, and
 * a cross-site form POST refused before anything happens.
 */

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

const expectUnauthenticated = (res: Response, what: string): void => {
  expect({ what, status: res.status, code: (res.body as ErrorBody).code }).toEqual({ what, status: 401, code: 'UNAUTHENTICATED' });
  expect(typeof (res.body as ErrorBody).message).toBe('string');
  expect(res.headers['www-authenticate']).toMatch(/^Bearer( |$)/);
};

const SECURITY_HEADERS = (res: Response): void => {
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['cache-control']).toBe('no-store');
};

/** A browser's CORS preflight (OPTIONS), which the test clients do not offer. */
const preflightTo = (app: TestApp, path: string) => request(app.app.getHttpServer() as App).options(path);

/** Shaped like a real token (`ct_` and 43 base64url characters) but never issued. */
const unknownToken = (): string => `ct_${randomBytes(32).toString('base64url')}`;

describe('bad tokens, security headers, CORS and cross-site forms (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let lot: string;
  let eventsBefore: number;

  const eventCount = async (): Promise<number> =>
    Number(((await t.dataSource.query('SELECT count(*)::int AS n FROM events')) as { n: number }[])[0].n);

  /** A regulator read and a regulator write, each sent with exactly this Authorization header. */
  const withHeader = (authorization: string) => ({
    read: () => t.anonymous().get('/api/lots').set('authorization', authorization),
    write: () => t.anonymous().post(`/api/lots/${lot}/lock`).set('authorization', authorization).send({ reason: 'suspected contamination' }),
  });

  beforeAll(async () => {
    // Many wrong credentials on purpose: a failed-authentication budget they do not reach (the limit has its own tests).
    t = await createTestApp({ authFailureLimitPerMinute: 100_000 });
    const n = await registerNetwork(t);
    lot = (await registerLot(t, n)).traceCode;
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('every bad credential is a 401 UNAUTHENTICATED with WWW-Authenticate, and writes nothing', () => {
    beforeAll(async () => {
      eventsBefore = await eventCount();
    });

    afterAll(async () => {
      expect(await eventCount()).toBe(eventsBefore);
      const view = await t.as(t.tokens.regulator).get(`/api/lots/${lot}`).expect(200);
      expect(view.body.lock).toBeNull();
    });

    const cases: [string, () => string][] = [
      ['an empty Authorization header', () => ''],
      ['"Bearer" alone', () => 'Bearer'],
      ['"Bearer " with an empty token', () => 'Bearer '],
      ['a 10 kB token', () => `Bearer ${'A'.repeat(10_240)}`],
      ['a 10 kB token shaped like ours', () => `Bearer ct_${'A'.repeat(10_240)}`],
      ['non-ASCII (latin1) bytes in the token', () => `Bearer ct_${'é'.repeat(43)}`],
      ['non-ASCII bytes around a valid token', () => `Bearer ${t.tokens.regulator}ü`],
      ['a token of the right shape that was never issued', () => `Bearer ${unknownToken()}`],
      ['a valid token in upper case', () => `Bearer ${t.tokens.regulator.toUpperCase()}`],
      ['a valid token with one character dropped', () => `Bearer ${t.tokens.regulator.slice(0, -1)}`],
      ['the admin token with a character added', () => `Bearer ${t.tokens.admin}x`],
      ['a valid token under another scheme name ("Bearerx")', () => `Bearerx ${t.tokens.regulator}`],
      ['two spaces after Bearer', () => `Bearer  ${t.tokens.regulator}`],
      ['a second word after the token', () => `Bearer ${t.tokens.regulator} ${t.tokens.regulator}`],
      ['a comma-separated second credential', () => `Bearer ${t.tokens.regulator}, Basic Zm9vOmJhcg==`],
      ['a token without a scheme', () => t.tokens.regulator],
      ['another scheme ("Token")', () => `Token ${t.tokens.regulator}`],
      ['Basic auth', () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['Basic auth carrying a valid token as the password', () => `Basic ${Buffer.from(`regulator:${t.tokens.regulator}`).toString('base64')}`],
      ['a NUL-free control character (tab) inside the token', () => `Bearer ct_\t${'A'.repeat(42)}`],
    ];

    it.each(cases)('%s', async (what, header) => {
      const h = withHeader(header());
      expectUnauthenticated(await h.read(), `${what} (read)`);
      expectUnauthenticated(await h.write(), `${what} (write)`);
    });

    it('the scheme in any case is Bearer (RFC 7235): "bearer", "BEARER", "bEaReR" with a valid token are let in', async () => {
      for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
        expect({ scheme, status: (await withHeader(`${scheme} ${t.tokens.regulator}`).read()).status }).toEqual({ scheme, status: 200 });
      }
    });

    it('no Authorization header at all', async () => {
      expectUnauthenticated(await t.anonymous().get('/api/lots'), 'no header (read)');
      expectUnauthenticated(await t.anonymous().post(`/api/lots/${lot}/lock`).send({ reason: 'x' }), 'no header (write)');
    });

  });

  it('a revoked key: worked before DELETE /api/keys/:id, a 401 after, and locks nothing', async () => {
    const key = await t.issueKey('REGULATOR', undefined, 'soon-revoked');
    await t.as(key.token).get('/api/lots').expect(200);
    await t.as(t.tokens.admin).delete(`/api/keys/${key.id}`).expect(200);
    const before = await eventCount();
    expectUnauthenticated(await withHeader(`Bearer ${key.token}`).read(), 'revoked (read)');
    expectUnauthenticated(await withHeader(`Bearer ${key.token}`).write(), 'revoked (write)');
    expect(await eventCount()).toBe(before);
  });

  describe('failed authentications are limited per client address (AUTH_FAILURE_LIMIT_PER_MINUTE)', () => {
    const LIMIT = 5;
    const METRICS_TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
    let limited: TestApp;
    /** The store's one address, behind its NAT; and somewhere else. */
    const STORE = '203.0.113.7';
    const ELSEWHERE = '198.51.100.20';

    /** A request from `address`, as the proxy in front (TRUST_PROXY=1) reports it, with this Authorization header (or none). */
    const from = (address: string, authorization?: string) => {
      const http = limited.anonymous();
      const withAddress = <T extends { set(k: string, v: string): T }>(req: T): T => {
        const r = req.set('x-forwarded-for', address);
        return authorization === undefined ? r : r.set('authorization', authorization);
      };
      return {
        read: () => withAddress(http.get('/api/lots')),
        lock: () => withAddress(http.post(`/api/lots/${lot}/lock`)).send({ reason: 'guessing' }),
        metrics: () => withAddress(http.get('/metrics')),
        publicView: () => withAddress(http.get(`/api/public/lots/${lot}`)),
      };
    };

    const expectLimited = (res: Response, what: string): void => {
      expect({ what, status: res.status, code: (res.body as ErrorBody).code }).toEqual({ what, status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    };

    beforeAll(async () => {
      // A second process on the same database, behind one proxy, with a small budget.
      limited = await createTestApp({ authFailureLimitPerMinute: LIMIT, trustProxy: 1, metricsToken: METRICS_TOKEN }, t);
    });

    afterAll(async () => {
      await limited?.close();
    });

    it(`the probe's flood: ${LIMIT} wrong tokens are 401s, the next ones 429 RATE_LIMITED with Retry-After, and nothing is written`, async () => {
      const till = await limited.issueKey('REGULATOR', undefined, 'till-1');
      const newcomer = await limited.issueKey('REGULATOR', undefined, 'till-2');
      // Till 1 works from the store before the flood begins.
      expect((await from(STORE, `Bearer ${till.token}`).read()).status).toBe(200);
      const before = await eventCount();

      const statuses: Record<number, number> = {};
      for (let i = 0; i < 200; i++) {
        const res = await (i % 2 === 0 ? from(STORE, `Bearer ${unknownToken()}`).read() : from(STORE, `Bearer ${unknownToken()}`).lock());
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (i < LIMIT) expectUnauthenticated(res, `wrong token ${i + 1}`);
        else expectLimited(res, `wrong token ${i + 1}`);
      }
      expect(statuses).toEqual({ 401: LIMIT, 429: 200 - LIMIT });
      expect(await eventCount()).toBe(before);

      // Limited, a credential is no longer checked: a right one never used from here gets the same 429 (no oracle for a guesser)...
      expectLimited(await from(STORE, `Bearer ${newcomer.token}`).read(), 'a right token new to the address');
      expectLimited(await from(STORE, `bearer ${unknownToken()}`).read(), 'a wrong token in lower case');
      // ...but the till that was already selling from the store's address keeps working.
      expect((await from(STORE, `Bearer ${till.token}`).read()).status).toBe(200);
      // No credential guesses nothing (401); the public view has its own budget.
      expectUnauthenticated(await from(STORE).read(), 'no header');
      expect((await from(STORE).publicView()).status).toBe(200);
      // Another address is not limited by this one.
      expect((await from(ELSEWHERE, `Bearer ${newcomer.token}`).read()).status).toBe(200);
      expectUnauthenticated(await from(ELSEWHERE, `Bearer ${unknownToken()}`).read(), 'a wrong token from elsewhere');
    });

    it('a wrong METRICS_TOKEN counts the same way; the scraper that already worked from there keeps scraping', async () => {
      const PROMETHEUS = '192.0.2.50';
      expect((await from(PROMETHEUS, `Bearer ${METRICS_TOKEN}`).metrics()).status).toBe(200);
      for (let i = 0; i < LIMIT; i++) expect((await from(PROMETHEUS, 'Bearer not-the-metrics-token').metrics()).status).toBe(401);
      expectLimited(await from(PROMETHEUS, 'Bearer not-the-metrics-token').metrics(), 'a wrong metrics token');
      expect((await from(PROMETHEUS, `Bearer ${METRICS_TOKEN}`).metrics()).status).toBe(200);
    });
  });

  describe('a known key at a route its role may not call is a 403 FORBIDDEN naming the role and the need', () => {
    it.each([
      ['ADMIN', 'GET /api/lots (a regulator list)', (token: string) => t.as(token).get('/api/lots'), ['REGULATOR']],
      ['ADMIN', 'POST lock (a regulator action)', (token: string) => t.as(token).post(`/api/lots/${lot}/lock`).send({ reason: 'x' }), ['REGULATOR']],
      ['INSPECTOR', 'POST lock (a regulator action)', (token: string) => t.as(token).post(`/api/lots/${lot}/lock`).send({ reason: 'x' }), ['REGULATOR']],
      ['REGULATOR', 'POST /api/keys (key management)', (token: string) => t.as(token).post('/api/keys').send({ name: 'x', role: 'ADMIN' }), ['ADMIN']],
    ] as const)('%s at %s', async (role, _route, request, required) => {
      const token = { ADMIN: t.tokens.admin, INSPECTOR: t.tokens.inspector, REGULATOR: t.tokens.regulator }[role];
      const res = await request(token);
      expect(res.status).toBe(403);
      const body = res.body as ErrorBody;
      expect(body.code).toBe('FORBIDDEN');
      expect(body.message).toContain(role);
      expect(body.details).toMatchObject({ role, required });
    });
  });

  describe('security headers', () => {
    it.each([
      ['a 200 (health)', () => t.anonymous().get('/api/health'), 200],
      ['a 200 with a token', () => t.as(t.tokens.regulator).get(`/api/lots/${lot}`), 200],
      ['a 401', () => t.anonymous().get('/api/lots'), 401],
      ['a 403', () => t.as(t.tokens.admin).get('/api/lots'), 403],
      ['a 404 outside /api', () => t.anonymous().get('/'), 404],
      ['a 404 inside /api', () => t.as(t.tokens.regulator).get('/api/nothing-here'), 404],
      ['a 415', () => t.anonymous().post(`/api/lots/${lot}/lock`).type('form').send('reason=x'), 415],
    ] as const)('on %s', async (_what, request, status) => {
      const res = await request();
      expect(res.status).toBe(status);
      SECURITY_HEADERS(res);
    });
  });

  describe('CORS', () => {
    const EVIL = 'https://evil.example';
    const ALLOWED = 'https://inspectors.example';

    it('is off by default: no Access-Control-Allow-Origin for any origin, preflight included', async () => {
      const simple = await t.as(t.tokens.regulator).get(`/api/lots/${lot}`).set('origin', EVIL);
      expect(simple.status).toBe(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await preflightTo(t, `/api/lots/${lot}/lock`)
        .set('origin', EVIL)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'authorization, content-type');
      expect(preflight.status).toBeLessThan(500);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    });

    describe('with CORS_ORIGINS set', () => {
      let open: TestApp;

      beforeAll(async () => {
        // A second process on the same database, configured with an allow-list.
        open = await createTestApp({ corsOrigins: [ALLOWED] }, t);
      });

      afterAll(async () => {
        await open?.close();
      });

      it('answers an allow-listed origin, preflight included', async () => {
        const simple = await open.as(open.tokens.regulator).get(`/api/lots/${lot}`).set('origin', ALLOWED);
        expect(simple.status).toBe(200);
        expect(simple.headers['access-control-allow-origin']).toBe(ALLOWED);
        const preflight = await preflightTo(open, `/api/lots/${lot}/lock`)
          .set('origin', ALLOWED)
          .set('access-control-request-method', 'POST')
          .set('access-control-request-headers', 'authorization, content-type');
        expect(preflight.status).toBe(204);
        expect(preflight.headers['access-control-allow-origin']).toBe(ALLOWED);
        expect(preflight.headers['access-control-allow-methods']).toContain('POST');
        expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/i);
      });

      it('still not any other origin', async () => {
        const simple = await open.as(open.tokens.regulator).get(`/api/lots/${lot}`).set('origin', EVIL);
        expect(simple.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await preflightTo(open, `/api/lots/${lot}/lock`).set('origin', EVIL).set('access-control-request-method', 'POST');
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      });
    });
  });

  describe('a cross-site style POST (a body a browser sends without asking) is refused 415 before anything happens', () => {
    it.each([
      ['form-encoded', 'application/x-www-form-urlencoded', 'reason=csrf'],
      ['text/plain carrying JSON', 'text/plain', '{"reason":"csrf"}'],
      ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\ncsrf\r\n--x--\r\n'],
    ])('%s, with a regulator token or none', async (_what, contentType, body) => {
      const before = await eventCount();
      for (const client of [t.as(t.tokens.regulator), t.anonymous()]) {
        const res = await client.post(`/api/lots/${lot}/lock`).set('origin', 'https://evil.example').set('content-type', contentType).send(body);
        expect(res.status).toBe(415);
        expect((res.body as ErrorBody).code).toBe('UNSUPPORTED_MEDIA_TYPE');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect(await eventCount()).toBe(before);
      const view = await t.as(t.tokens.regulator).get(`/api/lots/${lot}`).expect(200);
      expect(view.body.lock).toBeNull();
    });
  });
});
