import '../../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChainVerdict, EventLogAudit } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, resolveDatabase, useCliLogging } from '@app/platform';

export interface AuditVerifyReport {
  readonly streams: number;
  readonly events: number;
  /** Each stream whose chain does not hold, with its first invalid version. */
  readonly invalid: ChainVerdict[];
  /** A digest of the log as of `position`, to keep elsewhere and check later (POST /api/audit/digest/verify). */
  readonly position: number;
  readonly digest: string;
}

/**
 * Re-computes the hash chain of every stream (lots, facilities, keys, any
 * type) from the stored columns. Read-only: it needs only SELECT, so the
 * runtime role (DATABASE_URL) will do, and it migrates nothing.
 */
export const auditVerify = async (databaseUrl: string, onStream: (verdict: ChainVerdict) => void = () => undefined): Promise<AuditVerifyReport> => {
  // Batches of a long walk are single statements; no request-sized statement timeout on them.
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 }));
  await dataSource.initialize();
  try {
    // The catalog, not schema_migrations: a runtime role need not be able to read the latter.
    const hashed: unknown[] = await dataSource.query(
      `SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('events') AND attname = 'hash' AND NOT attisdropped`,
    );
    if (hashed.length === 0) throw new Error('events have no hash column yet: start the service once (it migrates), then verify');
    const audit = new EventLogAudit(dataSource);
    const { position, digest } = await audit.takeDigest();
    const { streams, events, invalid } = await audit.verifyAll(onStream);
    return { streams, events, invalid, position, digest };
  } finally {
    await dataSource.destroy();
  }
};

/** One line a failing stream: what `npm run audit:verify` prints and exits 1 on. */
export const describeFailure = (v: ChainVerdict): string =>
  `FAILED ${v.streamId}: first invalid version ${v.firstInvalidVersion} (${v.events} events)`;

const main = async (): Promise<void> => {
  useCliLogging('audit-verify');
  const logger = new Logger('AuditVerify');
  const database = await resolveDatabase(envDatabase(process.env), logger);
  logger.log(`verifying every stream's hash chain in ${database.description}`);
  const started = Date.now();
  try {
    const report = await auditVerify(database.url);
    for (const v of report.invalid) logger.error(describeFailure(v));
    const took = `${Date.now() - started} ms`;
    logger.log(`digest as of position ${report.position}: ${report.digest}`);
    if (report.invalid.length === 0) {
      logger.log(`OK: ${report.streams} streams, ${report.events} events, every chain holds (${took})`);
    } else {
      logger.error(`${report.invalid.length} of ${report.streams} streams FAILED: ${report.invalid.map((v) => v.streamId).join(', ')} (${took})`);
      process.exitCode = 1;
    }
  } finally {
    await database.embedded?.stop();
  }
};

if (require.main === module) {
  main().catch((e: Error) => {
    new Logger('AuditVerify').error(e.message, e.stack);
    process.exit(2);
  });
}
