import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendCopies, readTemplate } from '../bench/support/event-log';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, walkToStore } from './support/fixtures';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'scripts/cli.js');

/** Every npm script that runs a CLI (through the launcher), and the built file it names. */
const scripts = Object.entries((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const CLIS = scripts.flatMap(([script, command]) => {
  const m = /^node scripts\/cli\.js ([a-z-]+)$/.exec(command);
  return m ? [{ script, file: m[1] }] : [];
});

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const cli = (command: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Ran> =>
  run(command[0], command.slice(1), { cwd, env: { ...env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

/**
 * What any CLI's work would change: the log's size and head; each table's
 * row count and identity (a rebuild swaps in new tables, a TRUNCATE gives
 * new storage); the schemas (a rebuild's working schema).
 */
const fingerprint = async (t: TestApp): Promise<string> => {
  const [log]: { events: string; head: string }[] = await t.dataSource.query(`SELECT count(*) AS events, COALESCE(max(global_position), 0) AS head FROM events`);
  const tables: { name: string; rows: string; oid: string; node: string }[] = await t.dataSource.query(
    `SELECT c.relname AS name, c.oid::text AS oid, c.relfilenode::text AS node,
            (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_t%'
      ORDER BY n.nspname, c.relname`,
  );
  // Not pg_temp_N, pg_toast_temp_N: other sessions' temporary schemas come and go.
  const schemas: { nspname: string }[] = await t.dataSource.query(`SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%temp%' ORDER BY nspname`);
  return JSON.stringify({ log, tables, schemas: schemas.map((s) => s.nspname) });
};

/** `rebuild: 25,000/100,000 events (25%), 21,000 events/s, about 4 s left` */
const PROGRESS_LINE = /^rebuild: [\d,]+\/[\d,]+ events \(\d+%\), [\d,]+ events\/s, about \d+ (s|min \d+ s|h \d+ min) left$/;

describe('the CLIs (e2e, real PostgreSQL, the built JS through npm scripts)', () => {
  let t: TestApp;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let traceCode: string;

  beforeAll(async () => {
    t = await createTestApp();
    const n = await registerNetwork(t);
    traceCode = (await registerLot(t, n)).traceCode;
    await walkToStore(t, n, traceCode);
    await t.projections.catchUp();
    // Nothing of the app's own writes the database from here: what changes is a CLI's doing.
    await t.projections.stop();
    dataDir = mkdtempSync(join(tmpdir(), 'coldtrace-cli-data-'));
    env = { ...process.env, DATABASE_URL: t.databaseUrl, EVENT_SIGNING_KEY_FILE: t.signingKeyFile, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every CLI is an npm script run from dist/ with no build first; each built CLI has its script', () => {
    // At least these; a CLI added later (a script through scripts/cli.js) is held to the same tests below.
    expect(CLIS.map((c) => c.script)).toEqual(expect.arrayContaining(['audit:verify', 'events:export', 'events:import', 'keys', 'projections:rebuild', 'signing-key']));
    expect(scripts.filter(([, command]) => command.includes('dist/apps/api/src/cli/') || command.includes('scripts/cli.js')).length).toBe(CLIS.length);
    const built = readdirSync(join(ROOT, 'dist/apps/api/src/cli')).filter((f) => f.endsWith('.js') && !['cli-args.js', 'progress.js'].includes(f));
    expect(built.map((f) => f.replace(/\.js$/, '')).sort()).toEqual(CLIS.map((c) => c.file).sort());
  });

  it('--help and -h: the usage on stdout, exit 0, nothing else (the database and DATA_DIR unchanged)', async () => {
    const before = await fingerprint(t);
    for (const { script, file } of CLIS) {
      for (const flag of ['--help', '-h']) {
        const r = await cli([process.execPath, LAUNCHER, file, flag], env);
        expect({ script, flag, code: r.code, stderr: r.stderr }).toEqual({ script, flag, code: 0, stderr: '' });
        expect(r.stdout).toContain(`npm run ${script}`);
        expect(r.stdout).toMatch(/-h, --help/);
      }
    }
    // A verb and flags around it change nothing either: help wins.
    expect((await cli([process.execPath, LAUNCHER, 'keys', 'create', '--role', 'ADMIN', '--name', 'x', '--help'], env)).code).toBe(0);
    // Through npm, as a user types it.
    const npm = await cli(['npm', 'run', '--silent', 'projections:rebuild', '--', '--help'], env);
    expect(npm.code).toBe(0);
    expect(npm.stdout).toContain('npm run projections:rebuild');
    // No database configured at all: --help still starts no embedded PostgreSQL.
    const bare: NodeJS.ProcessEnv = { ...env };
    delete bare.DATABASE_URL;
    expect((await cli([process.execPath, LAUNCHER, 'rebuild-projections', '--help'], bare)).code).toBe(0);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await fingerprint(t)).toEqual(before);
  }, 120_000);

  it('an unknown flag or a flag without its value: the error and the usage on stderr, exit 2, nothing changed', async () => {
    const before = await fingerprint(t);
    for (const { script, file } of CLIS) {
      const r = await cli([process.execPath, LAUNCHER, file, '--frobnicate'], env);
      expect({ script, code: r.code, stdout: r.stdout }).toEqual({ script, code: 2, stdout: '' });
      expect(r.stderr).toContain('unknown option --frobnicate');
      expect(r.stderr).toContain(`npm run ${script}`);
    }
    const noValue = await cli([process.execPath, LAUNCHER, 'events-export', '--out'], env);
    expect(noValue.code).toBe(2);
    expect(noValue.stderr.split('\n')[0]).toBe('events:export: --out needs a value');
    const shortUnknown = await cli([process.execPath, LAUNCHER, 'keys', 'list', '-x'], env);
    expect(shortUnknown.code).toBe(2);
    expect(shortUnknown.stderr.split('\n')[0]).toBe('keys: unknown option -x');
    expect(readdirSync(dataDir)).toEqual([]);
    expect(await fingerprint(t)).toEqual(before);
  }, 120_000);

  it('without dist/: one line saying to build first, exit 1', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'coldtrace-no-dist-'));
    try {
      mkdirSync(join(bare, 'scripts'));
      copyFileSync(LAUNCHER, join(bare, 'scripts/cli.js'));
      const r = await cli([process.execPath, 'scripts/cli.js', 'keys', '--help'], env, bare);
      expect(r).toEqual({ code: 1, stdout: '', stderr: 'dist/ is missing: run npm run build first\n' });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('a rebuild of 100,000 events prints its progress on stderr: at least three lines of done/total, rate and time left', async () => {
    const template = await readTemplate(t.dataSource, traceCode);
    const lots = Math.ceil(100_000 / template.events.length);
    const written = await appendCopies(t.databaseUrl, template, lots, `${traceCode}-P`, { workers: 2, hashChains: false });
    expect(written).toBeGreaterThanOrEqual(100_000);
    const r = await cli([process.execPath, LAUNCHER, 'rebuild-projections'], { ...env, LOG_LEVEL: 'warn' });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('rebuild: '));
    const progress = lines.filter((l) => PROGRESS_LINE.test(l));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1)).toMatch(/^rebuild: [\d,]+ events done in [\d.]+ s \([\d,]+ events\/s\)$/);
    // Progress is for people, on stderr: stdout stays empty.
    expect(r.stdout).toBe('');
  }, 180_000);
});
