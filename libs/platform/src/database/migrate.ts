import { DataSource, DataSourceOptions, MigrationExecutor } from 'typeorm';

/** Any constant works; it only has to be the same in every process of this system. */
const MIGRATION_LOCK = 7_305_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so the
 * api and the projector starting together on a fresh database take turns
 * instead of racing to create the same tables. With `migrationsUrl`
 * (MIGRATIONS_DATABASE_URL, the schema owner) they run on a short-lived
 * connection of that role, so the runtime role never needs the owner's
 * rights (UPDATE, DELETE, TRUNCATE, DDL on events).
 */
export const runMigrationsLocked = async (dataSource: DataSource, migrationsUrl: string | null = null): Promise<string[]> => {
  const owner = await openOwnerConnection(dataSource, migrationsUrl);
  try {
    return await migrateLocked(owner.dataSource);
  } finally {
    await owner.close();
  }
};

/**
 * A connection as the schema owner, for work that changes tables (migrations,
 * rebuilds): a small pool of its own on `migrationsUrl`, else `dataSource`
 * itself (already the owner), left open on close.
 */
export const openOwnerConnection = async (dataSource: DataSource, migrationsUrl: string | null): Promise<{ dataSource: DataSource; close(): Promise<void> }> => {
  if (!migrationsUrl) return { dataSource, close: async () => undefined };
  const owner = new DataSource({ ...dataSource.options, url: migrationsUrl, extra: { ...dataSource.options.extra, max: 2 } } as DataSourceOptions);
  await owner.initialize();
  return { dataSource: owner, close: () => owner.destroy() };
};

const migrateLocked = async (dataSource: DataSource): Promise<string[]> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Waiting for another process's migrations, or one rewriting a large table, may outlast the
    // statement timeout meant for requests; this one session runs without it, the migrations on it.
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const done = await executor.executePendingMigrations();
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
};
