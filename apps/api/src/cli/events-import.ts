import '../../../../libs/platform/src/register-aliases';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackupFileError, BackupProgress, BackupSummary, importEventLog, readBackupHeader, StoreNotEmptyError } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, runMigrationsLocked, useCliLogging } from '@app/platform';
import { rebuildProjections } from './rebuild-projections';

import { argsOrExit, CliSpec, usageExit } from './cli-args';
import { ProgressReporter } from './progress';

export const IMPORT_CLI: CliSpec = {
  name: 'events:import',
  summary: 'restore a backup (events:export) into an empty, freshly migrated store, then rebuild every read model from it',
  synopsis: ['FILE.ndjson.gz'],
  options: {},
  notes: [
    'environment: DATABASE_URL (else the embedded database in DATA_DIR); MIGRATIONS_DATABASE_URL, the schema owner, when DATABASE_URL is a runtime role',
    'progress (done/total rows, then events rebuilt; rate, time left) goes to stderr every 2 s',
  ],
};

/** Told of the load's rows and of the rebuild's events as they go. */
export interface ImportProgress {
  readonly load?: BackupProgress;
  readonly rebuild?: (done: number, total: number) => void;
}

export interface ImportReport extends BackupSummary {
  /** Events each projection replayed in the rebuild that followed. */
  readonly rebuilt: Record<string, number>;
  /** How long the load (migrations included) and the rebuild took. */
  readonly loadMs: number;
  readonly rebuildMs: number;
}

/** Why an import was refused; it changed nothing. */
export const isRefusal = (e: unknown): e is BackupFileError | StoreNotEmptyError => e instanceof BackupFileError || e instanceof StoreNotEmptyError;

/**
 * Restores a backup into an empty store, then rebuilds every read model
 * from it. Migrates first, so a brand-new database will do. The load runs
 * as the schema owner (MIGRATIONS_DATABASE_URL when set): it gives
 * positions the identity column would otherwise draw, and moves its
 * sequence, which the runtime role may not. If the rebuild fails, the
 * events are in: `npm run projections:rebuild` finishes the job.
 */
export const importEvents = async (file: string, databaseUrl: string, migrationsUrl: string | null = null, progress: ImportProgress = {}): Promise<ImportReport> => {
  if (!existsSync(file)) throw new BackupFileError(`${file} does not exist`);
  // Not a backup at all (or not one this version reads): refused before the database is touched, migrations included.
  await readBackupHeader(file);
  const started = Date.now();
  const owner = new DataSource(dataSourceOptions(migrationsUrl ?? databaseUrl, { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 }));
  await owner.initialize();
  let summary: BackupSummary;
  try {
    await runMigrationsLocked(owner);
    summary = await importEventLog(owner, file, progress.load);
  } finally {
    await owner.destroy();
  }
  const loaded = Date.now();
  const rebuilt = await rebuildProjections(databaseUrl, undefined, migrationsUrl, progress.rebuild);
  return { ...summary, rebuilt, loadMs: loaded - started, rebuildMs: Date.now() - loaded };
};

const main = async (): Promise<void> => {
  // Before anything reads the environment or a database: --help and a wrong flag do nothing else.
  const { positionals } = argsOrExit(IMPORT_CLI);
  if (positionals.length !== 1) usageExit(IMPORT_CLI, positionals.length === 0 ? 'which backup? FILE is required' : 'one backup file at a time');
  useCliLogging('events-import');
  const logger = new Logger('EventsImport');
  const file = resolve(positionals[0]);
  const settings = envDatabase(process.env);
  const database = await resolveDatabase(settings, logger);
  logger.log(`importing ${file} into ${database.description}`);
  const started = Date.now();
  const load = new ProgressReporter({ what: 'import', unit: 'rows' });
  const rebuild = new ProgressReporter({ what: 'rebuild', unit: 'events' });
  let loading = true;
  try {
    const r = await importEvents(file, database.url, settings.migrationsDatabaseUrl, {
      load: (done, total) => load.update(done, total),
      rebuild: (done, total) => {
        if (loading) load.finish();
        loading = false;
        rebuild.update(done, total);
      },
    });
    if (loading) load.finish();
    rebuild.finish();
    logger.log(
      `loaded ${r.counts.streams} streams, ${r.counts.events} events (head position ${r.headPosition}), ${r.counts.idempotencyKeys} idempotency keys; ` +
        `hash chains verified; log digest ${r.logDigest} (${r.loadMs} ms)`,
    );
    for (const [name, n] of Object.entries(r.rebuilt)) logger.log(`${name}: replayed ${n} events`);
    logger.log(`read models rebuilt in ${r.rebuildMs} ms; done in ${Date.now() - started} ms`);
  } catch (e) {
    if (!isRefusal(e)) throw e;
    logger.error(`import refused, nothing changed: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('EventsImport').error(e.message, e.stack);
    process.exit(2);
  });
}
