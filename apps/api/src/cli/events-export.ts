import '../../../../libs/platform/src/register-aliases';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackupProgress, exportEventLog, ExportSummary } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, useCliLogging } from '@app/platform';

import { argsOrExit, CliSpec, stringOf, usageExit } from './cli-args';
import { ProgressReporter } from './progress';

export const EXPORT_CLI: CliSpec = {
  name: 'events:export',
  summary: "write the event log (streams, events, idempotency keys, uploads' readings) to a gzip'd backup; read-only",
  synopsis: ['--out FILE.ndjson.gz'],
  options: { out: { type: 'string', short: 'o', value: 'FILE', help: 'the backup to write; never over an existing file' } },
  notes: [
    'environment: DATABASE_URL (else the embedded database in DATA_DIR); the runtime role will do',
    'progress (done/total rows, rate, time left) goes to stderr every 2 s',
  ],
};

/**
 * Writes every stream row, event and idempotency key to a gzip'd backup
 * (libs/event-store/src/backup). Read-only: the runtime role (DATABASE_URL)
 * will do, and it migrates nothing. No statement timeout: one cursor walks
 * the whole log.
 */
export const exportEvents = async (databaseUrl: string, out: string, onProgress?: BackupProgress): Promise<ExportSummary> => {
  // Never over an earlier backup: that one may be the only good copy.
  if (existsSync(out)) throw new Error(`${out} exists: choose another file name`);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 }));
  await dataSource.initialize();
  try {
    return await exportEventLog(dataSource, out, onProgress);
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  // Before anything reads the environment or a database: --help and a wrong flag do nothing else.
  const args = argsOrExit(EXPORT_CLI);
  if (args.positionals.length > 0) usageExit(EXPORT_CLI, `unexpected argument ${args.positionals[0]} (the file goes after --out)`);
  const out = stringOf(args.values, 'out') ?? usageExit(EXPORT_CLI, '--out FILE is required');
  useCliLogging('events-export');
  const logger = new Logger('EventsExport');
  const path = resolve(out);
  if (existsSync(path)) {
    logger.error(`${path} exists: choose another file name (an earlier backup may be the only good copy)`);
    process.exit(1);
  }
  const database = await resolveDatabase(envDatabase(process.env), logger);
  logger.log(`exporting the event store of ${database.description} to ${path}`);
  const started = Date.now();
  const progress = new ProgressReporter({ what: 'export', unit: 'rows' });
  try {
    const s = await exportEvents(database.url, path, (done, total) => progress.update(done, total));
    progress.finish();
    logger.log(
      `done in ${Date.now() - started} ms: ${s.counts.streams} streams, ${s.counts.events} events (head position ${s.headPosition}), ` +
        `${s.counts.idempotencyKeys} idempotency keys; ${s.bytes} bytes before gzip`,
    );
    logger.log(`log digest ${s.logDigest} (audit:verify prints the same for the restored log)`);
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('EventsExport').error(e.message, e.stack);
    process.exit(1);
  });
}
