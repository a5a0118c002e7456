import { DataSource } from 'typeorm';

/** Any constant works; it only has to be the same in every process of this system. */
const MIGRATION_LOCK = 7_305_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so the
 * api and the projector starting together on a fresh database take turns
 * instead of racing to create the same tables.
 */
export const runMigrationsLocked = async (dataSource: DataSource): Promise<string[]> => {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
};
