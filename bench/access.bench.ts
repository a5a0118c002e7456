import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, Load } from './support/load';
import { median } from './support/stats';
import { createTestApp, TestApp } from '../test/support/test-app';
import { registerLot, registerNetwork, walkToStore } from '../test/support/fixtures';

/**
 * What authentication costs on the hottest read: a retailer's "may I sell
 * this?" with its bearer token, against the shopper's public view of the same
 * lot (no token), measured in the same run with the same load generator
 * (autocannon in its own process, 32 connections), alternating A B A B so
 * drift hits both.
 */
const SECONDS = Number(process.env.BENCH_SECONDS || 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONNECTIONS = 32;

const load = (url: string, headers: Record<string, string> = {}): Promise<Load> => cli(url, { connections: CONNECTIONS, seconds: SECONDS, headers });

describe('authenticated eligibility read vs the public view, same run', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('reports both rates and their ratio', async () => {
    // The public limit is counted but never reached here: the bench measures the route, not the limiter's refusals.
    t = await createTestApp({ publicRateLimitPerMinute: 1_000_000_000 });
    await t.app.listen(0, '127.0.0.1');
    const base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const stored = await walkToStore(t, n, traceCode);
    const retailer = await t.issueKey('OPERATOR', [n.store], 'bench till');
    await t.as(retailer.token).get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${stored.position}`).expect(200);
    await t.anonymous().get(`/api/public/lots/${traceCode}?atLeast=${stored.position}`).expect(200);

    const withToken: Load[] = [];
    const publicView: Load[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      withToken.push(await load(`${base}/api/lots/${traceCode}/sale-eligibility`, { authorization: `Bearer ${retailer.token}` }));
      publicView.push(await load(`${base}/api/public/lots/${traceCode}`));
    }
    const a = { rps: median(withToken.map((l) => l.rps)), p99: median(withToken.map((l) => l.p99)) };
    const b = { rps: median(publicView.map((l) => l.rps)), p99: median(publicView.map((l) => l.p99)) };
    const report = [
      `${CONNECTIONS} connections, ${SECONDS} s x ${ROUNDS} rounds each, alternating; medians`,
      `                                         req/s     p99 ms`,
      `GET sale-eligibility (bearer token) ${a.rps.toFixed(0).padStart(9)} ${a.p99.toFixed(1).padStart(10)}`,
      `GET public lot view (no token)      ${b.rps.toFixed(0).padStart(9)} ${b.p99.toFixed(1).padStart(10)}`,
      `ratio eligibility/public: x${(a.rps / b.rps).toFixed(2)}; rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (api and bench in one process)`,
    ].join('\n');
    console.log(report);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'access.txt'), `${new Date().toISOString()}\n${report}\n`);
    for (const l of [...withToken, ...publicView]) expect({ errors: l.errors, non2xx: l.non2xx }).toEqual({ errors: 0, non2xx: 0 });
  });
});
