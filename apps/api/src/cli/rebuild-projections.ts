import '../../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnlineRebuild, rebuildableProjections } from '@app/read-models';
import { DatabaseTimeouts, dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, runMigrationsLocked, useCliLogging } from '@app/platform';
import { argsOrExit, CliSpec, usageExit } from './cli-args';
import { ProgressReporter } from './progress';

export const REBUILD_CLI: CliSpec = {
  name: 'projections:rebuild',
  summary: 'rebuild every read model from the event log, beside the live tables, then swap them in (the api may keep running)',
  synopsis: [''],
  options: {},
  notes: [
    'environment: DATABASE_URL (else the embedded database in DATA_DIR); MIGRATIONS_DATABASE_URL, the schema owner, when DATABASE_URL is a runtime role',
    'progress (done/total events, rate, time left) goes to stderr every 2 s',
  ],
};

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
  /** Told of every page of the log replayed: events done, of about how many. */
  onProgress?: (done: number, total: number) => void,
): Promise<Record<string, number>> => {
  const dataSource = new DataSource(dataSourceOptions(migrationsUrl ?? databaseUrl, timeouts));
  await dataSource.initialize();
  try {
    await runMigrationsLocked(dataSource);
    return await new OnlineRebuild(dataSource, rebuildableProjections()).rebuild(undefined, onProgress);
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  // Before anything reads the environment or a database: --help and a wrong flag do nothing else.
  const args = argsOrExit(REBUILD_CLI);
  if (args.positionals.length > 0) usageExit(REBUILD_CLI, `unexpected argument ${args.positionals[0]}`);
  useCliLogging('projections-rebuild');
  const logger = new Logger('Rebuild');
  const settings = envDatabase(process.env);
  const database = await resolveDatabase(settings, logger);
  logger.log(`rebuilding projections in ${database.description}`);
  const started = Date.now();
  const progress = new ProgressReporter({ what: 'rebuild', unit: 'events' });
  try {
    const counts = await rebuildProjections(
      database.url,
      { poolAcquireTimeoutMs: settings.poolAcquireTimeoutMs, statementTimeoutMs: 0 },
      settings.migrationsDatabaseUrl,
      (done, total) => progress.update(done, total),
    );
    progress.finish();
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
