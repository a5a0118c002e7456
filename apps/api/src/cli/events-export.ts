import '../../../../libs/platform/src/register-aliases';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { exportEventLog, ExportSummary } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, useCliLogging } from '@app/platform';

const USAGE = 'usage: npm run events:export -- --out FILE.ndjson.gz';

/**
 * Writes every stream row, event and idempotency key to a gzip'd backup
 * (libs/event-store/src/backup). Read-only: the runtime role (DATABASE_URL)
 * will do, and it migrates nothing. No statement timeout: one cursor walks
 * the whole log.
 */
export const exportEvents = async (databaseUrl: string, out: string): Promise<ExportSummary> => {
  // Never over an earlier backup: that one may be the only good copy.
  if (existsSync(out)) throw new Error(`${out} exists: choose another file name`);
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 }));
  await dataSource.initialize();
  try {
    return await exportEventLog(dataSource, out);
  } finally {
    await dataSource.destroy();
  }
};

const main = async (): Promise<void> => {
  useCliLogging('events-export');
  const logger = new Logger('EventsExport');
  let out: string | undefined;
  try {
    out = parseArgs({ args: process.argv.slice(2), options: { out: { type: 'string', short: 'o' } } }).values.out;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (!out) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const path = resolve(out);
  if (existsSync(path)) {
    logger.error(`${path} exists: choose another file name (an earlier backup may be the only good copy)`);
    process.exit(1);
  }
  const database = await resolveDatabase(envDatabase(process.env), logger);
  logger.log(`exporting the event store of ${database.description} to ${path}`);
  const started = Date.now();
  try {
    const s = await exportEvents(database.url, path);
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
