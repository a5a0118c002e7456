import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { DataSource, EntityManager } from 'typeorm';
import { APPEND_LOCK } from '../postgres-event-store';
import {
  BackupFileError,
  BackupHeader,
  BackupSummary,
  BackupVerifier,
  EventRecord,
  IdempotencyRecord,
  linesOf,
  StreamRecord,
  TemperatureUploadRecord,
} from './event-backup.format';
import { BackupProgress, checkStoreColumns } from './event-log.exporter';

/** Rows per INSERT: arrays as parameters, so no limit but memory. */
const INSERT_ROWS = 2000;
/** Readings per INSERT of uploads (an upload holds up to 10,000). */
const INSERT_READINGS = 50_000;

/** The target already holds something: a restore would mix two histories. */
export class StoreNotEmptyError extends Error {
  constructor(what: string[]) {
    super(`the event store is not empty (it has ${what.join(', ')}): import only into a freshly migrated database no service has written to`);
    this.name = 'StoreNotEmptyError';
  }
}

/**
 * Loads a backup (event-backup.format.ts) into an empty store in ONE
 * transaction, checking every line as it goes (BackupVerifier) and the
 * whole file at its end line, so a refused file, or a store found not
 * empty, leaves the database as it was. Kept: stream rows, event ids,
 * global positions, versions, timestamps, hashes, signatures, idempotency
 * keys, temperature uploads (each checked against its event's digest). Not kept: the source's transaction ids. Events that come without a
 * signature (a version 1 file, or a source that had not signed its older
 * events yet) are recorded as written before signing (event_signing_legacy),
 * so the api signs them at its next start, as it would have at the source. Every event gets this transaction's
 * id (the column's default): ids from another cluster may lie above this
 * one's counter, where the subscription horizon would hide them, and any
 * later append would sort before them. So the restored subscription order
 * is the global position order, which keeps each stream's order and every
 * causal order (see docs/operations.md, Backup and restore).
 *
 * Holds APPEND_LOCK exclusively: no append slips in between the emptiness
 * check and the commit, and subscriptions read nothing of it before then.
 * Before loading anything it checks that the tables have the columns the
 * format knows and that its role may move the position sequence (the schema
 * owner may, the runtime role not). Read models are not touched; rebuild
 * them after (the CLI does).
 */
export const importEventLog = async (dataSource: DataSource, path: string, onProgress: BackupProgress = () => undefined): Promise<BackupSummary> => {
  const verifier = new BackupVerifier();
  const lines = readBackupLines(path);
  try {
    // The header before the database: a file that is not a backup is refused without a transaction.
    const first = await lines.next();
    if (first.done) throw new BackupFileError(`${path} is empty`);
    const header = verifier.next(first.value);
    const c = header.kind === 'header' ? header.counts : null;
    const total = c ? c.streams + c.events + c.idempotencyKeys + (c.temperatureUploads ?? 0) : 0;
    return await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL statement_timeout = 0');
      await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      await checkStoreColumns(manager);
      await refuseNonEmpty(manager);
      await requireSequenceRights(manager);
      const loader = new BatchLoader(manager);
      let loaded = 0;
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        const record = verifier.next(next.value);
        if (record.kind === 'header' || record.kind === 'end') continue;
        await loader.add(record);
        // A call a thousand records: the reporter decides when to print.
        if (++loaded % 1000 === 0) onProgress(Math.min(loaded, total), Math.max(total, loaded));
      }
      const summary = verifier.finish();
      await loader.flush();
      if (loader.lastUnsigned > 0) await markLegacy(manager, loader.lastUnsigned);
      // Positions were given, not drawn: the next append draws the one after the last.
      if (summary.headPosition > 0) {
        await manager.query(`SELECT setval(pg_get_serial_sequence('events', 'global_position'), $1)`, [summary.headPosition]);
      }
      return summary;
    });
  } finally {
    await lines.return(undefined);
  }
};

/**
 * The file's header, checked, and nothing more read: whether `path` is a
 * whole-looking backup of a version this import reads, before anything
 * touches a database (the full check runs as the import loads it).
 */
export const readBackupHeader = async (path: string): Promise<BackupHeader> => {
  const lines = readBackupLines(path);
  try {
    const first = await lines.next();
    if (first.done) throw new BackupFileError(`${path} is empty`);
    const record = new BackupVerifier().next(first.value);
    if (record.kind !== 'header') throw new BackupFileError(`${path}: line 1 is not the header`);
    return record;
  } finally {
    await lines.return(undefined);
  }
};

/** setval at the end needs UPDATE on the positions' sequence: the schema owner has it, the runtime role not. Asked first, not found out after the load. */
const requireSequenceRights = async (manager: EntityManager): Promise<void> => {
  const [row]: { ok: boolean; who: string }[] = await manager.query(
    `SELECT has_sequence_privilege(pg_get_serial_sequence('events', 'global_position'), 'UPDATE') AS ok, current_user AS who`,
  );
  if (!row.ok) {
    throw new Error(`role ${row.who} may not set the events' position sequence: import as the schema owner (MIGRATIONS_DATABASE_URL)`);
  }
};

/** The unsigned events restored count as written before signing: up to the last of them, as many as lie there now. */
const markLegacy = async (manager: EntityManager, upTo: number): Promise<void> => {
  await manager.query(
    `UPDATE event_signing_legacy SET up_to_position = $1, events = (SELECT count(*) FROM events WHERE global_position <= $1) WHERE id = 1`,
    [upTo],
  );
};

const refuseNonEmpty = async (manager: EntityManager): Promise<void> => {
  const [found]: { events: boolean; streams: boolean; keys: boolean; uploads: boolean }[] = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM events) AS events, EXISTS (SELECT 1 FROM event_streams) AS streams,
            EXISTS (SELECT 1 FROM idempotency_keys) AS keys, EXISTS (SELECT 1 FROM temperature_uploads) AS uploads`,
  );
  const what = [found.events && 'events', found.streams && 'streams', found.keys && 'idempotency keys', found.uploads && 'temperature uploads'].filter(
    (w): w is string => !!w,
  );
  if (what.length > 0) throw new StoreNotEmptyError(what);
};

/** The file's lines, gunzipped and decoded as they are read; a broken gzip surfaces as a BackupFileError. */
async function* readBackupLines(path: string): AsyncGenerator<string> {
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  gunzip.setEncoding('utf8');
  async function* chunks(): AsyncGenerator<string> {
    try {
      for await (const chunk of gunzip) yield chunk as string;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR: "unexpected end of file"); a missing file stays what it is.
      if (typeof code === 'string' && code.startsWith('Z_')) {
        const message = (e as Error).message;
        // "incorrect header check": not gzip at all; anything else: gzip, but cut short or damaged.
        throw new BackupFileError(
          /header check/.test(message) ? `${path} is not a gzip file (a backup is gzip'd NDJSON): ${message}` : `${path} is not a whole gzip file: ${message}`,
        );
      }
      throw e;
    }
  }
  try {
    yield* linesOf(chunks());
  } finally {
    file.destroy();
    gunzip.destroy();
  }
}

type Loadable = StreamRecord | EventRecord | IdempotencyRecord | TemperatureUploadRecord;

/**
 * Collects a section's records and inserts them a batch at a time; streams go
 * in before the events that reference them. One INSERT is in flight while
 * the next batch is read and checked: the file's checks and the server's
 * inserts overlap instead of taking turns.
 */
class BatchLoader {
  private batch: Loadable[] = [];
  /** Readings in the batch (uploads only): an upload weighs its readings. */
  private readings = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** The highest position of an event restored without a signature (0: none). */
  lastUnsigned = 0;

  constructor(private readonly manager: EntityManager) {}

  async add(record: Loadable): Promise<void> {
    if (this.batch.length > 0 && this.batch[0].kind !== record.kind) await this.send();
    if (record.kind === 'event' && !record.signature) this.lastUnsigned = record.globalPosition;
    this.batch.push(record);
    if (record.kind === 'temperatureUpload') this.readings += record.at.length;
    if (this.batch.length >= INSERT_ROWS || this.readings >= INSERT_READINGS) await this.send();
  }

  /** Sends what is collected and waits for every INSERT: the last one's failure surfaces here. */
  async flush(): Promise<void> {
    await this.send();
    await this.inFlight;
  }

  /** Waits for the INSERT in flight (one at a time on the one connection), then starts the next. */
  private async send(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.readings = 0;
    if (batch.length === 0) return;
    await this.inFlight;
    const kind = batch[0].kind;
    const insert =
      kind === 'stream'
        ? this.streams(batch as StreamRecord[])
        : kind === 'event'
          ? this.events(batch as EventRecord[])
          : kind === 'idempotency'
            ? this.keys(batch as IdempotencyRecord[])
            : this.uploads(batch as TemperatureUploadRecord[]);
    // Awaited at the next send or flush; until then, a failure must not count as unhandled (the transaction is rolled back either way).
    insert.catch(() => undefined);
    this.inFlight = insert;
  }

  private streams(rows: StreamRecord[]): Promise<unknown> {
    return this.manager.query(
      `INSERT INTO event_streams (stream_id, stream_type, version, head_hash, created_at, updated_at)
       SELECT id, type, version, decode(head, 'hex'), created, updated
         FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS t(id, type, version, head, created, updated)`,
      [rows.map((r) => r.streamId), rows.map((r) => r.streamType), rows.map((r) => r.version), rows.map((r) => r.headHash), rows.map((r) => r.createdAt), rows.map((r) => r.updatedAt)],
    );
  }

  private events(rows: EventRecord[]): Promise<unknown> {
    // transaction_id left to its default (this transaction's id): see importEventLog. Signatures in the same statement.
    return this.manager.query(
      `WITH t AS (
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[])
           AS t(position, id, stream, version, type, schema_version, data, metadata, occurred, recorded, hash, key_id, signature)
       ), inserted AS (
         INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, hash)
         OVERRIDING SYSTEM VALUE
         SELECT position, id, stream, version, type, schema_version, data, metadata, occurred, recorded, decode(hash, 'hex') FROM t
       )
       INSERT INTO event_signatures (global_position, signing_key_id, signature)
       SELECT position, key_id, decode(signature, 'hex') FROM t WHERE signature IS NOT NULL`,
      [
        rows.map((r) => r.globalPosition),
        rows.map((r) => r.eventId),
        rows.map((r) => r.streamId),
        rows.map((r) => r.version),
        rows.map((r) => r.type),
        rows.map((r) => r.schemaVersion),
        rows.map((r) => JSON.stringify(r.data)),
        rows.map((r) => JSON.stringify(r.metadata)),
        rows.map((r) => r.occurredAt),
        rows.map((r) => r.recordedAt),
        rows.map((r) => r.hash),
        rows.map((r) => r.signingKeyId ?? null),
        rows.map((r) => r.signature ?? null),
      ],
    );
  }

  /** Arrays of different lengths do not unnest side by side: the batch goes as JSON, each upload's arrays in their order. */
  private uploads(rows: TemperatureUploadRecord[]): Promise<unknown> {
    return this.manager.query(
      `INSERT INTO temperature_uploads (upload_id, trace_code, device_id, facility_id, recorded_at, at, celsius)
       SELECT (u->>'uploadId')::uuid, u->>'traceCode', u->>'deviceId', u->>'facilityId', (u->>'recordedAt')::timestamptz,
              ARRAY(SELECT a::timestamptz FROM jsonb_array_elements_text(u->'at') WITH ORDINALITY AS t(a, n) ORDER BY n),
              ARRAY(SELECT c::real FROM jsonb_array_elements_text(u->'celsius') WITH ORDINALITY AS t(c, n) ORDER BY n)
         FROM jsonb_array_elements($1::jsonb) AS u`,
      [JSON.stringify(rows)],
    );
  }

  private keys(rows: IdempotencyRecord[]): Promise<unknown> {
    return this.manager.query(
      `INSERT INTO idempotency_keys (key, request_hash, stream_id, result, created_at)
       SELECT key, request_hash, stream_id, result, created
         FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) AS t(key, request_hash, stream_id, result, created)`,
      [rows.map((r) => r.key), rows.map((r) => r.requestHash), rows.map((r) => r.streamId), rows.map((r) => JSON.stringify(r.result)), rows.map((r) => r.createdAt)],
    );
  }
}
