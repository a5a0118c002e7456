import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, TestApp } from './support/test-app';

const run = promisify(execFile);

/** The README promises its walk-through works as written: run that very block against a live server. */
const walkthrough = (): string => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = readme.split('<!-- walkthrough:start -->')[1]?.split('<!-- walkthrough:end -->')[0];
  const script = block?.match(/```bash\n([\s\S]*?)```/)?.[1];
  if (!script) throw new Error('README has no walk-through block');
  return script;
};

/** One run's answers: the same every run, but for the lot's fresh trace code (returned). */
const expectTheAnswers = (stdout: string): string => {
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const verdicts = lines.filter((l) => 'allowed' in l);
  expect(verdicts).toHaveLength(2);
  expect(verdicts[0].allowed).toBe(false);
  expect((verdicts[0].reasons as { code: string }[]).map((r) => r.code)).toEqual([
    'CUSTOMS_DECLARATION_MISSING',
    'INSPECTION_CERTIFICATE_MISSING',
    'NUCLEIC_ACID_TEST_MISSING',
    'DISINFECTION_CERTIFICATE_MISSING',
    'CENTRAL_WAREHOUSE_NOT_PASSED',
    'NOT_AT_RETAIL_STORE',
    'NOT_IN_DEDICATED_SALES_ZONE',
  ]);
  expect(verdicts[1]).toMatchObject({ allowed: true, reasons: [] });
  expect(lines.filter((l) => 'code' in l)).toEqual([]); // no error anywhere

  const lot = lines.find((l) => 'quantity' in l && 'route' in l)!;
  expect(lot).toMatchObject({ traceCode: expect.stringMatching(/^BEEF-\d+-\d+$/), quantity: { initial: 1200, remaining: 1197.5, unit: 'KG' }, status: 'HELD' });
  const history = lines.find((l) => 'events' in l && Array.isArray(l.events) && 'traceCode' in l && !('version' in l))!;
  const events = history.events as { type: string }[];
  expect(events).toHaveLength(16);
  expect(events[events.length - 1].type).toBe('LotSold');
  expect(events.filter((e) => e.type === 'LotSold')).toHaveLength(1);
  // Every event names the key that wrote it.
  const actors = history.events as { type: string; actor: { name: string; role: string } }[];
  expect(actors[0].actor).toMatchObject({ name: 'port scanner', role: 'OPERATOR' });
  expect(actors.find((e) => e.type === 'DocumentAttached')!.actor).toMatchObject({ role: 'INSPECTOR' });
  expect(actors[actors.length - 1].actor).toMatchObject({ name: 'RS-01 till', role: 'OPERATOR' });

  const shopper = lines.find((l) => 'certificates' in l)!;
  expect(shopper).toMatchObject({ traceCode: lot.traceCode, status: 'ON_SALE', originCountries: ['BR'] });
  expect((shopper.path as { facilityName: string }[]).map((p) => p.facilityName)).toEqual([
    'Shanghai Yangshan port',
    'Central warehouse No. 1',
    'Jiangqiao wholesale market',
    'Corner supermarket',
  ]);
  return lot.traceCode as string;
};

describe('README walk-through (e2e, real PostgreSQL, over real HTTP with curl)', () => {
  let t: TestApp;
  let api: string;
  beforeAll(async () => {
    // As a fresh `npm start` (the embedded database's token file): no ADMIN_TOKEN, so the first start writes DATA_DIR/admin.token.
    t = await createTestApp({ adminToken: null, embeddedDatabase: true });
    await t.app.listen(0, '127.0.0.1');
    api = `${(await t.app.getUrl()).replace('[::1]', '127.0.0.1')}/api`;
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs as written three times in a row on one database, each run answering as the first', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, API: api, DATA_DIR: t.config.dataDir };
    delete env.ADMIN_TOKEN;
    delete env.RUN;
    const lots: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', walkthrough()], { env });
      lots.push(expectTheAnswers(stdout));
    }
    expect(new Set(lots).size).toBe(3); // a fresh lot each run
  });
});
