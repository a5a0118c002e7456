import '../../../../libs/platform/src/register-aliases';
import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChainVerdict, EventKeyRing, EventLogAudit, HASH_HEX, keyRingFromText } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, envDatabase, envEventSigningKey, resolveDatabase, useCliLogging } from '@app/platform';
import { CredentialJudgement, judgeKeyRows, KeyRow } from '../access/signed-credentials';
import { argsOrExit, CliSpec, listOf, stringOf, usageExit, usageOf } from './cli-args';
import { ProgressReporter } from './progress';

/** A digest a regulator kept (GET /api/audit/digest's position and digest). */
export interface KeptDigest {
  readonly position: number;
  readonly digest: string;
}

/** A kept digest against today's log, recomputed from the events' data. */
export interface DigestComparison extends KeptDigest {
  /** What today's log yields at that position; null when it no longer reaches it (events removed). */
  readonly found: string | null;
  readonly matches: boolean;
}

export interface AuditVerifyReport {
  readonly streams: number;
  readonly events: number;
  /** Each stream whose chain or signatures do not hold, with its first invalid version and why. */
  readonly invalid: ChainVerdict[];
  /** Each `api_keys` row that does not say what its key's signed events say: not a credential. */
  readonly credentials: CredentialJudgement[];
  /** Each kept digest given, in position order. */
  readonly digests: DigestComparison[];
  /** A digest of the log as of `position`, recomputed from its data, to keep elsewhere and check later. */
  readonly position: number;
  readonly digest: string;
}

export interface AuditVerifyOptions {
  /** The public keys signatures are checked with: from outside the database (a key file, or GET /api/audit/keys kept). */
  readonly ring: EventKeyRing;
  readonly digests?: readonly KeptDigest[];
  readonly onStream?: (verdict: ChainVerdict) => void;
  /** Told after every stream: events verified, of the events up to the audit position. */
  readonly onProgress?: (done: number, total: number) => void;
}

const KEY_ROWS_PER_PAGE = 1000;

/** Every `api_keys` row judged against its key's signed events; those that depart from them. */
const refusedCredentials = (dataSource: DataSource, audit: EventLogAudit): Promise<CredentialJudgement[]> =>
  // Rows and key events from one snapshot: a key revoked meanwhile is not judged half-way.
  dataSource.transaction('REPEATABLE READ', async (m) => {
    await m.query('SET TRANSACTION READ ONLY');
    const refused: CredentialJudgement[] = [];
    for (let after = ''; ; ) {
      const rows: KeyRow[] = await m.query(
        `SELECT key_id, name, role, facility_ids, token_sha256, revoked_at FROM api_keys WHERE key_id > $1 ORDER BY key_id LIMIT $2`,
        [after, KEY_ROWS_PER_PAGE],
      );
      if (rows.length === 0) return refused;
      after = rows[rows.length - 1].key_id;
      refused.push(...(await judgeKeyRows(audit, rows, m)).filter((j) => j.problem !== null));
    }
  });

/**
 * Re-computes the hash chain of every stream (lots, facilities, keys, any
 * type) from the stored columns and checks every event's signature with the
 * given public keys; judges every credential row against its signed key
 * events; and recomputes, in the same walk, the digest at each kept
 * position from the events' data. Read-only: the runtime role (or any role
 * that may SELECT) will do, and it migrates nothing.
 */
export const auditVerify = async (databaseUrl: string, options: AuditVerifyOptions): Promise<AuditVerifyReport> => {
  // Batches of a long walk are single statements; no request-sized statement timeout on them.
  const dataSource = new DataSource(dataSourceOptions(databaseUrl, { ...DEFAULT_DATABASE_TIMEOUTS, statementTimeoutMs: 0 }));
  await dataSource.initialize();
  try {
    // The catalog, not schema_migrations: a runtime role need not be able to read the latter.
    const [ready]: { hashed: boolean; signed: boolean }[] = await dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('events') AND attname = 'hash' AND NOT attisdropped) AS hashed,
              to_regclass('event_signatures') IS NOT NULL AS signed`,
    );
    if (!ready.hashed || !ready.signed) throw new Error('events are not hashed and signed yet: start the service once (it migrates and signs), then verify');
    const audit = new EventLogAudit(dataSource, options.ring);
    const position = await audit.auditPosition();
    const kept = options.digests ?? [];
    const reachable = kept.filter((d) => d.position <= position).map((d) => d.position);
    let verified = 0;
    const onStream = (v: ChainVerdict): void => {
      options.onStream?.(v);
      verified += v.events;
      options.onProgress?.(verified, Math.max(position, verified));
    };
    const { streams, events, invalid, digests } = await audit.verifyAll({ digestsAt: [position, ...reachable], onStream });
    const found = new Map(digests.map((d) => [d.position, d.digest]));
    const credentials = await refusedCredentials(dataSource, audit);
    return {
      streams,
      events,
      invalid,
      credentials,
      digests: [...kept]
        .sort((a, b) => a.position - b.position)
        .map((d) => {
          const now = d.position <= position ? found.get(d.position)! : null;
          return { ...d, found: now, matches: now === d.digest };
        }),
      position,
      digest: found.get(position)!,
    };
  } finally {
    await dataSource.destroy();
  }
};

/** One line a failing stream: what `npm run audit:verify` prints and exits 1 on. */
export const describeFailure = (v: ChainVerdict): string =>
  `FAILED ${v.streamId}: first invalid version ${v.firstInvalidVersion} (${v.reason}${v.uploadId === undefined ? '' : ` upload ${v.uploadId}`}) (${v.events} events)`;

/** One line a credential row that is not one. */
export const describeCredential = (c: CredentialJudgement): string => `CREDENTIAL ${c.keyId} is not a credential: ${c.problem}`;

/** One line a kept digest that today's log does not yield. */
export const describeDigest = (d: DigestComparison, auditPosition: number): string =>
  d.found === null
    ? `DIGEST at position ${d.position} DIFFERS: kept ${d.digest}, the log no longer reaches that position (it ends at ${auditPosition}): events were removed`
    : `DIGEST at position ${d.position} DIFFERS: kept ${d.digest}, the log's data yields ${d.found}`;

/**
 * Where the history changed, as far as the kept digests tell: at or before
 * the first position whose digest differs, after the last one below it that
 * still matches. Null when every kept digest matches.
 */
export const narrowChange = (digests: readonly DigestComparison[]): string | null => {
  const first = digests.find((d) => !d.matches);
  if (!first) return null;
  const before = [...digests].reverse().find((d) => d.matches && d.position < first.position);
  return `the history up to position ${first.position} changed${before ? ` after position ${before.position} (whose digest still matches)` : ''}`;
};

const DIGEST_ARG = /^(\d+)[:\s]([0-9a-f]{64})$/;

/** `POSITION:HEX`, or a file of them: one a line (`POSITION:HEX`, `POSITION HEX`, or GET /api/audit/digest's JSON), `#` comments. */
export const parseKeptDigests = async (values: readonly string[]): Promise<KeptDigest[]> => {
  const kept: KeptDigest[] = [];
  const one = (text: string, where: string): KeptDigest => {
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) {
      const o = JSON.parse(trimmed) as { position?: unknown; digest?: unknown };
      if (Number.isSafeInteger(o.position) && (o.position as number) > 0 && typeof o.digest === 'string' && HASH_HEX.test(o.digest)) {
        return { position: o.position as number, digest: o.digest };
      }
    }
    const m = DIGEST_ARG.exec(trimmed);
    if (!m || !Number.isSafeInteger(Number(m[1])) || Number(m[1]) < 1) {
      throw new Error(`${where}: not a kept digest (POSITION:HEX with 64 lowercase hex digits, or {"position":..,"digest":..}): ${trimmed.slice(0, 80)}`);
    }
    return { position: Number(m[1]), digest: m[2] };
  };
  for (const value of values) {
    if (DIGEST_ARG.test(value.trim())) {
      kept.push(one(value, '--digest'));
      continue;
    }
    const lines = (await readFile(value, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      kept.push(one(line, `${value} line ${i + 1}`));
    });
  }
  return kept;
};

export const AUDIT_VERIFY_CLI: CliSpec = {
  name: 'audit:verify',
  summary: "re-check every stream's hash chain and signatures, every credential, and kept digests; read-only",
  synopsis: ['[--keys FILE] [--digest POSITION:HEX | --digest FILE]...'],
  options: {
    keys: {
      type: 'string',
      value: 'FILE',
      help: 'public keys to check signatures with: the JSON GET /api/audit/keys answered (kept), or PEM keys; default: EVENT_SIGNING_KEY_FILE (or DATA_DIR/event-signing.key)',
    },
    digest: { type: 'string', multiple: true, value: 'POS:HEX|FILE', help: 'a digest kept from GET /api/audit/digest (position and digest), or a file of them' },
  },
  notes: [
    'environment: DATABASE_URL (else the embedded database in DATA_DIR); any role that may SELECT will do',
    'exit 0: everything holds; 1: something does not (each named on stderr); 2: could not verify',
    'progress (done/total events, rate, time left) goes to stderr every 2 s',
  ],
};
const USAGE = usageOf(AUDIT_VERIFY_CLI);

/** The public keys to trust: --keys, else the key file the services use. Never the database's. */
const trustedKeys = async (file: string | undefined): Promise<EventKeyRing> => {
  let path = file;
  let where = '--keys';
  if (!path) {
    try {
      path = envEventSigningKey(process.env).file;
      where = 'EVENT_SIGNING_KEY_FILE';
    } catch {
      throw new Error(`no public keys to check signatures with: pass --keys FILE (what GET /api/audit/keys answered, kept) or set EVENT_SIGNING_KEY_FILE\n${USAGE}`);
    }
  }
  try {
    return keyRingFromText(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${where} (${path}): ${(e as Error).message}`);
  }
};

const main = async (): Promise<void> => {
  // Before anything reads the environment or a database: --help and a wrong flag do nothing else.
  const args = argsOrExit(AUDIT_VERIFY_CLI);
  if (args.positionals.length > 0) usageExit(AUDIT_VERIFY_CLI, `unexpected argument ${args.positionals[0]}`);
  useCliLogging('audit-verify');
  const logger = new Logger('AuditVerify');
  const ring = await trustedKeys(stringOf(args.values, 'keys'));
  const kept = await parseKeptDigests(listOf(args.values, 'digest'));
  const database = await resolveDatabase(envDatabase(process.env), logger);
  logger.log(
    `verifying every stream's hash chain and signatures (keys ${ring.published().map((k) => k.signingKeyId).join(', ')}), every credential` +
      `${kept.length ? ` and ${kept.length} kept digest(s)` : ''} in ${database.description}`,
  );
  const started = Date.now();
  const progress = new ProgressReporter({ what: 'verify', unit: 'events' });
  try {
    const report = await auditVerify(database.url, { ring, digests: kept, onProgress: (done, total) => progress.update(done, total) });
    progress.finish();
    for (const v of report.invalid) logger.error(describeFailure(v));
    for (const c of report.credentials) logger.error(describeCredential(c));
    for (const d of report.digests) {
      if (d.matches) logger.log(`DIGEST at position ${d.position} matches: the log up to there is as it was when it was kept`);
      else logger.error(describeDigest(d, report.position));
    }
    const narrowed = narrowChange(report.digests);
    if (narrowed) logger.error(narrowed);
    const took = `${Date.now() - started} ms`;
    logger.log(`digest as of position ${report.position} (from the events' data): ${report.digest}`);
    const differing = report.digests.filter((d) => !d.matches).length;
    if (report.invalid.length === 0 && report.credentials.length === 0 && differing === 0) {
      logger.log(`OK: ${report.streams} streams, ${report.events} events, every chain and signature holds, every credential is signed (${took})`);
    } else {
      logger.error(
        `FAILED: ${report.invalid.length} of ${report.streams} streams (${report.invalid.map((v) => v.streamId).join(', ') || 'none'}), ` +
          `${report.credentials.length} credential row(s), ${differing} of ${report.digests.length} kept digest(s) (${took})`,
      );
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
