import '../../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnlineRebuild, rebuildableProjections } from '@app/read-models';
import { DatabaseTimeouts, dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, runMigrationsLocked, useCliLogging } from '@app/platform';

/**
 * A rebuild runs without a statement timeout: building indexes over large
 * read models is slow, aborting it for that helps no one, and the operator
 * who started it can stop it. A stuck pool still fails fast.
 */
const REBUILD_TIMEOUTS: DatabaseTimeouts = { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 };

/**
 * Replays the whole event log into new read-model tables built beside the
 * live ones, then swaps them in (see OnlineRebuild): the service keeps
 * serving from the old tables meanwhile. Runs as the schema owner
 * (MIGRATIONS_DATABASE_URL when DATABASE_URL is a runtime role): it creates
 * and drops tables.
 */
export const rebuildProjections = async (
  databaseUrl: string,
  timeouts: DatabaseTimeouts = REBUILD_TIMEOUTS,
  /** The schema owner (MIGRATIONS_DATABASE_URL), when DATABASE_URL is a runtime role. */
  migrationsUrl: string | null = null,
): Promise<Record<string, number>> => {
  const dataSource = new DataSource(dataSourceOptions(migrationsUrl ?? databaseUrl, timeouts));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    return await new OnlineRebuild(dataSource, rebuildableProjections()).rebuild();
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  useCliLogging('projections-rebuild');
  const logger = new Logger('Rebuild');
  const settings = envDatabase(process.env);
  const database = await resolveDatabase(settings, logger);
  logger.log(`rebuilding projections in ${database.description}`);
  const started = Date.now();
  try {
    const counts = await rebuildProjections(
      database.url,
      { poolAcquireTimeoutMs: settings.poolAcquireTimeoutMs, statementTimeoutMs: 0 },
      settings.migrationsDatabaseUrl,
    );
    for (const [name, n] of Object.entries(counts)) logger.log(`${name}: replayed ${n} events`);
    logger.log(`done in ${Date.now() - started} ms`);
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('Rebuild').error(e.message, e.stack);
    process.exit(1);
  });
}
