import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { DataSource, EntityManager } from 'typeorm';
import { LogDigest } from '../integrity/log-digest';
import {
  BackupCounts,
  EventRow,
  eventLine,
  headerLine,
  IdempotencyRow,
  idempotencyLine,
  STORE_COLUMNS,
  StreamRow,
  streamLine,
  TemperatureUploadRow,
  temperatureUploadLine,
  trailerLine,
} from './event-backup.format';

/** Told of every batch of rows written (or loaded): rows done of the backup's rows (streams, events, idempotency keys, uploads). */
export type BackupProgress = (done: number, total: number) => void;

/** Rows per FETCH: a few MB of lines at a time, whatever the log's size. */
const FETCH_ROWS = 2000;
/** Uploads per FETCH: up to 10,000 readings each, a few MB too. */
const FETCH_UPLOADS = 20;

/** Microseconds kept, in UTC: what the server stores, not what a JavaScript Date would round it to. */
const iso = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface ExportSummary {
  readonly counts: BackupCounts;
  readonly headPosition: number;
  readonly logDigest: string;
  readonly bytes: number;
}

/**
 * Writes the whole store (streams, events, idempotency keys, the temperature
 * uploads' readings the events digest) to `path` as a
 * gzip'd backup (event-backup.format.ts). Everything is read in one
 * REPEATABLE READ READ ONLY snapshot, so the counts, the stream heads and the
 * events agree with each other: the log as of one commit. Appends go on
 * meanwhile; they are not in this backup. Read through server-side cursors
 * and written through a gzip stream with backpressure: constant memory.
 * Written to `<path>.partial` and renamed at the end, so a failed export
 * leaves no file that looks like a backup.
 */
export const exportEventLog = async (dataSource: DataSource, path: string, onProgress?: BackupProgress): Promise<ExportSummary> => {
  const partial = `${path}.partial`;
  let summary: Omit<ExportSummary, 'bytes'> | null = null;
  let bytes = 0;
  try {
    await dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const lines = backupLines(manager, (s) => (summary = s), onProgress);
      const counted = async function* (): AsyncGenerator<string> {
        for await (const text of lines) {
          bytes += Buffer.byteLength(text);
          yield text;
        }
      };
      await pipeline(Readable.from(counted()), createGzip(), createWriteStream(partial));
    });
    await rename(partial, path);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  }
  return { ...summary!, bytes };
};

/**
 * Throws unless the store's tables have exactly the columns the backup format
 * knows (STORE_COLUMNS): a column added by a later migration would otherwise
 * be left out of the file, or left to its default on the way back in.
 */
export const checkStoreColumns = async (manager: EntityManager): Promise<void> => {
  const rows: { table_name: string; columns: string[] }[] = await manager.query(
    `SELECT c.relname AS table_name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.oid = ANY (ARRAY[${Object.keys(STORE_COLUMNS).map((t) => `to_regclass('${t}')`).join(', ')}])
      GROUP BY c.relname`,
  );
  const found = new Map(rows.map((r) => [r.table_name, r.columns]));
  for (const [table, known] of Object.entries(STORE_COLUMNS)) {
    const columns = found.get(table);
    if (!columns) throw new Error(`the database has no ${table} table: is it a Coldtrace database, migrated?`);
    const extra = columns.filter((c) => !known.includes(c));
    const missing = known.filter((c) => !columns.includes(c));
    if (extra.length || missing.length) {
      throw new Error(
        `${table} has ${[extra.length && `columns the backup format does not know (${extra.join(', ')})`, missing.length && `no ${missing.join(', ')}`]
          .filter(Boolean)
          .join(' and ')}: this version's backup would not be faithful`,
      );
    }
  }
};

/** The file's text, a batch of lines at a time, from one snapshot held by `manager`. */
async function* backupLines(
  manager: EntityManager,
  done: (summary: Omit<ExportSummary, 'bytes'>) => void,
  onProgress: BackupProgress = () => undefined,
): AsyncGenerator<string> {
  await checkStoreColumns(manager);
  const [head]: { streams: string; events: string; keys: string; uploads: string; head: string }[] = await manager.query(
    `SELECT (SELECT count(*) FROM event_streams) AS streams,
            (SELECT count(*) FROM events) AS events,
            (SELECT count(*) FROM idempotency_keys) AS keys,
            (SELECT count(*) FROM temperature_uploads) AS uploads,
            (SELECT COALESCE(max(global_position), 0) FROM events) AS head`,
  );
  const counts: BackupCounts = {
    streams: Number(head.streams),
    events: Number(head.events),
    idempotencyKeys: Number(head.keys),
    temperatureUploads: Number(head.uploads),
  };
  const headPosition = Number(head.head);
  const total = counts.streams + counts.events + counts.idempotencyKeys + (counts.temperatureUploads ?? 0);
  let written = 0;
  const sha = createHash('sha256');
  const digest = new LogDigest();
  const emit = (lines: string[]): string => {
    written += lines.length;
    onProgress(Math.min(written, total), total);
    const text = lines.length ? `${lines.join('\n')}\n` : '';
    sha.update(text, 'utf8');
    return text;
  };

  yield emit([headerLine({ exportedAt: new Date().toISOString(), counts, headPosition })]);

  // Byte order ("C"), the order LogDigest takes streams in and the import checks.
  for await (const rows of fetchAll<StreamRow>(
    manager,
    `SELECT stream_id, stream_type, version, encode(head_hash, 'hex') AS head_hash, ${iso('created_at')} AS created_at, ${iso('updated_at')} AS updated_at
       FROM event_streams ORDER BY stream_id COLLATE "C"`,
  )) {
    for (const r of rows) digest.add(r.stream_id, r.version, r.head_hash);
    yield emit(rows.map(streamLine));
  }

  for await (const rows of fetchAll<EventRow>(
    manager,
    `SELECT e.global_position, e.transaction_id::text AS transaction_id, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version,
            e.data::text AS data, e.metadata::text AS metadata, ${iso('e.occurred_at')} AS occurred_at, ${iso('e.recorded_at')} AS recorded_at,
            encode(e.hash, 'hex') AS hash, g.signing_key_id, encode(g.signature, 'hex') AS signature
       FROM events e LEFT JOIN event_signatures g ON g.global_position = e.global_position
      ORDER BY e.global_position`,
  )) {
    yield emit(rows.map(eventLine));
  }

  for await (const rows of fetchAll<IdempotencyRow>(
    manager,
    `SELECT key, request_hash, stream_id, result::text AS result, ${iso('created_at')} AS created_at
       FROM idempotency_keys ORDER BY key COLLATE "C"`,
  )) {
    yield emit(rows.map(idempotencyLine));
  }

  // uuid order is the byte order of their text, the order the import checks. Times to the microsecond, in stored order.
  for await (const rows of fetchAll<TemperatureUploadRow>(
    manager,
    `SELECT upload_id::text AS upload_id, trace_code, device_id, facility_id, ${iso('recorded_at')} AS recorded_at,
            (SELECT json_agg(${iso('a')} ORDER BY n) FROM unnest(at) WITH ORDINALITY AS t(a, n))::text AS at, to_json(celsius)::text AS celsius
       FROM temperature_uploads ORDER BY upload_id`,
    FETCH_UPLOADS,
  )) {
    yield emit(rows.map(temperatureUploadLine));
  }

  const logDigest = digest.digest();
  yield `${trailerLine({ counts, logDigest, sha256: sha.digest('hex') })}\n`;
  done({ counts, headPosition, logDigest });
}

/** One server-side cursor, `perFetch` rows a round trip; closed at the end (the transaction closes it on failure). */
async function* fetchAll<R>(manager: EntityManager, sql: string, perFetch = FETCH_ROWS): AsyncGenerator<R[]> {
  await manager.query(`DECLARE backup_cursor NO SCROLL CURSOR FOR ${sql}`);
  for (;;) {
    const rows: R[] = await manager.query(`FETCH ${perFetch} FROM backup_cursor`);
    if (rows.length === 0) break;
    yield rows;
  }
  await manager.query('CLOSE backup_cursor');
}
