import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { APPENDS_CHANNEL } from './appends-channel';
import { WrongExpectedVersionError } from './event-store.errors';
import { AppendManyResult, AppendResult, Checkpoint, InlineProjection, StreamAppend, RecordedResult, StoredEvent, StreamSlice } from './event-store.types';
import { AppendSignal } from './append-signal';
import { canonicalJson } from './integrity/canonical-json';
import { eventHashOfParts, GENESIS_HASH, HashedEvent } from './integrity/event-hash';
import { EventSignature, EventSigner, signsOnThreadPool } from './integrity/event-signature';
import { appendLarge, LARGE_APPEND } from './large-append';
import { STREAM_ROWS } from './stream-rows.sql';

/**
 * Every append holds this advisory lock shared until it commits; taking it
 * exclusively waits until no append is in flight, so every position below the
 * head read then has committed (EventLogAudit.auditPosition). Advisory locks
 * need no table privilege, unlike LOCK TABLE.
 */
export const APPEND_LOCK = 7_305_004;

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
  hash: string;
  signing_key_id: string | null;
  signature: string | null;
}

/** An event's columns as `e`, with its signature (`g`, left-joined: an event from before signing may have none). */
const EVENT_FIELDS = `e.global_position, e.transaction_id::text AS transaction_id, e.event_id, e.stream_id, e.stream_version,
  e.type, e.schema_version, e.data, e.metadata, e.occurred_at, e.recorded_at, encode(e.hash, 'hex') AS hash`;
const EVENT_COLUMNS = `${EVENT_FIELDS}, g.signing_key_id, encode(g.signature, 'hex') AS signature`;
const SIGNED_EVENTS = `events e LEFT JOIN event_signatures g ON g.global_position = e.global_position`;
/** The same columns without the join: no signature. */
const UNSIGNED_COLUMNS = `${EVENT_FIELDS}, NULL AS signing_key_id, NULL AS signature`;

const toStoredEvent = (r: EventRow): StoredEvent => ({
  eventId: r.event_id,
  streamId: r.stream_id,
  version: r.stream_version,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  occurredAt: r.occurred_at.toISOString(),
  recordedAt: r.recorded_at.toISOString(),
  globalPosition: Number(r.global_position),
  transactionId: r.transaction_id,
  hash: r.hash,
  signature: r.signing_key_id && r.signature ? { signingKeyId: r.signing_key_id, signature: r.signature } : null,
});

/** Where a stream stands while its row is locked: the next append's version check and hash chain start here. */
export interface LockedStream {
  readonly version: number;
  /** Its last event's global position (0 for none). */
  readonly position: number;
  readonly headHash: string;
  readonly exists: boolean;
}

/** Part of one stream: the events with `after < version <= upTo` (no upper bound when `upTo` is null). */
export interface StreamRange {
  readonly streamId: string;
  readonly after: number;
  readonly upTo: number | null;
}

/** The events of many stream ranges in one query, each stream's in version order. */
export const readStreamRanges = async (manager: EntityManager, ranges: readonly StreamRange[]): Promise<Map<string, StoredEvent[]>> => {
  const out = new Map<string, StoredEvent[]>();
  if (ranges.length === 0) return out;
  const rows: EventRow[] = await manager.query(
    `SELECT ${EVENT_COLUMNS} FROM ${SIGNED_EVENTS}
       JOIN unnest($1::text[], $2::int[], $3::int[]) AS r(range_stream, range_after, range_up_to)
         ON e.stream_id = range_stream AND e.stream_version > range_after AND (range_up_to IS NULL OR e.stream_version <= range_up_to)
      ORDER BY e.stream_id, e.stream_version`,
    [ranges.map((r) => r.streamId), ranges.map((r) => r.after), ranges.map((r) => r.upTo)],
  );
  for (const r of rows) {
    const list = out.get(r.stream_id) ?? [];
    if (list.length === 0) out.set(r.stream_id, list);
    list.push(toStoredEvent(r));
  }
  return out;
};

/** Thrown by an append on a store opened without a signing key (the read-only tools'): an unsigned event would be a forgery's twin. */
export class NoSigningKeyError extends Error {
  constructor() {
    super('this event store has no signing key: it may read, not append (EVENT_SIGNING_KEY_FILE)');
    this.name = 'NoSigningKeyError';
  }
}

/** One event as it will be inserted: version, millisecond occurredAt, hash and signature settled, JSON encoded once. */
interface EventToWrite extends HashedEvent {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly hash: string;
  readonly signature: EventSignature;
}

/**
 * The whole write of an append, one statement whatever its size: every
 * stream's row created or moved (with its new head hash), every event, every
 * signature. Arrays, not one parameter per value, so 10,000 events cost what
 * 1 does in statements. The events go as one JSON array text (eventsJson),
 * not a text[] per column: the pg driver escapes each element of an array
 * parameter, and each event's JSON in a jsonb[] was a sixth of all the bytes a
 * batch allocated. The events go in only when every stream row did: a
 * stream another transaction created since the caller's check (the only way
 * a locked version can be wrong) inserts nothing, and the caller sees no row back.
 * It also notifies APPENDS_CHANNEL with the transaction's id (delivered at
 * commit): a one-time filter, no statement of its own. What the database
 * assigned comes back as one row, one JSON array (id, position, recordedAt
 * as toISOString writes it: milliseconds, truncated as a parsed Date's are):
 * parsing a row and a timestamp per event cost more than the rest of the answer.
 */
const APPEND_SQL = `
${STREAM_ROWS}, t AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset($6::jsonb)
      AS (i uuid, s text, v int, t text, sv int, d jsonb, m jsonb, o timestamptz, h text, k text, g text))
      WITH ORDINALITY AS t(id, stream, version, type, schema_version, data, metadata, occurred, hash, key_id, signature, n)
  ), inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
    SELECT id, stream, version, type, schema_version, data, metadata, occurred, decode(hash, 'hex') FROM t
     WHERE (SELECT count(*) FROM created) + (SELECT count(*) FROM moved) = cardinality($1::text[])
     ORDER BY n
    RETURNING event_id, global_position, transaction_id, recorded_at
  ), signed AS (
    INSERT INTO event_signatures (global_position, signing_key_id, signature)
    SELECT i.global_position, t.key_id, decode(t.signature, 'hex') FROM inserted i JOIN t ON t.id = i.event_id
  )
  SELECT pg_current_xact_id()::text AS transaction_id,
         json_agg(json_build_array(event_id, global_position::text, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS assigned
    FROM inserted
   WHERE (SELECT pg_notify($7, pg_current_xact_id()::text) IS NOT NULL)`;

/**
 * The events as APPEND_SQL's $6: one JSON array, written by hand around the
 * JSON each event's data and metadata already have (not parsed and stringified
 * again). Ids, hashes, signatures and times are hex, UUIDs or ISO text, with
 * nothing to escape; the stream id and type go through JSON.stringify.
 */
const eventsJson = (rows: readonly EventToWrite[]): string => {
  let out = '[';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out +=
      (i === 0 ? '{"i":"' : ',{"i":"') + r.eventId + '","s":' + JSON.stringify(r.streamId) + ',"v":' + r.version + ',"t":' + JSON.stringify(r.type) +
      ',"sv":' + r.schemaVersion + ',"d":' + r.dataJson + ',"m":' + r.metadataJson + ',"o":"' + r.occurredAt + '","h":"' + r.hash +
      '","k":"' + r.signature.signingKeyId + '","g":"' + r.signature.signature + '"}';
  }
  return out + ']';
};

/**
 * Statements for up to this many rows (an append's events and streams, a
 * lock's streams, idempotency records) go as named statements, parsed and planned
 * once per connection (the append and its lock were a third of PostgreSQL's
 * CPU per group commit of single scans in planning and parsing). Larger ones
 * stay unnamed: a plan made for the arrays at hand (a generic plan assumes a
 * few rows, and a 10,000-event recall would join with nested loops).
 */
const NAMED_UP_TO = 128;

/** Hashes handed to the signing thread at a time: it signs the first while the rest are hashed. */
const SIGNING_CHUNK = 256;

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * `sql` as a named (prepared) statement on the connection of the caller's
 * transaction when it carries at most NAMED_UP_TO rows' worth (`size`), else
 * as manager.query does; a failure is TypeORM's, as from manager.query.
 */
const queryNamed = async <T>(manager: EntityManager, name: string, sql: string, values: unknown[], size: number): Promise<T[]> => {
  const runner = manager.queryRunner as (EntityManager['queryRunner'] & { databaseConnection?: PgClient }) | undefined;
  const client = runner && !runner.isReleased && size <= NAMED_UP_TO ? runner.databaseConnection : undefined;
  if (!client) return manager.query(sql, values);
  try {
    return (await client.query({ name, text: sql, values })).rows as T[];
  } catch (e) {
    throw new QueryFailedError(sql, values, e as Error);
  }
};

/**
 * Locks stream rows (see lockStreams). APPEND_LOCK first, as in every append: the same order everywhere, so an
 * audit waiting for the exclusive lock never sits between a stream lock and the append that follows it. In the
 * same statement (no round trip of its own): a condition on nothing of the rows is a one-time filter, evaluated
 * once before the scan, whether any row matches or not. The stream's last event by (stream_id, stream_version),
 * an index lookup; max(global_position) here made PostgreSQL walk the whole events table backwards once per stream.
 */
const LOCK_SQL = `SELECT s.stream_id, s.version, encode(s.head_hash, 'hex') AS head_hash,
         (SELECT e.global_position FROM events e WHERE e.stream_id = s.stream_id
           ORDER BY e.stream_version DESC LIMIT 1) AS position
    FROM event_streams s
   WHERE (SELECT pg_advisory_xact_lock_shared($2) IS NOT NULL) AND s.stream_id = ANY($1)
   ORDER BY s.stream_id FOR UPDATE OF s`;

/** The records as one JSON array (not arrays the pg driver escapes element by element, as the append's events). */
const RECORD_SQL = `INSERT INTO idempotency_keys (key, request_hash, stream_id, result)
  SELECT k, h, s, r FROM jsonb_to_recordset($1::jsonb) AS (k text, h text, s text, r jsonb)`;

/**
 * Append-only event store on PostgreSQL. One transaction writes the events
 * with their hash chain and signatures, moves the stream's version
 * (optimistic concurrency) and head hash, and records the idempotency key
 * with the command's answer. Without a signer (rebuilds, exports) it only reads.
 */
export class PostgresEventStore {
  constructor(
    private readonly dataSource: DataSource,
    readonly appended: AppendSignal = new AppendSignal(),
    private readonly inline: readonly InlineProjection[] = [],
    private readonly signer: EventSigner | null = null,
  ) {}

  async readStream(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<StreamSlice> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM ${SIGNED_EVENTS} WHERE e.stream_id = $1 ORDER BY e.stream_version`,
      [streamId],
    );
    const events = rows.map(toStoredEvent);
    return { streamId, version: events.length ? events[events.length - 1].version : 0, events };
  }

  /** What is recorded under each of these keys, with the hash of the request that recorded it (one query). */
  async findRecordedMany<T>(keys: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, { requestHash: string; result: T }>> {
    if (keys.length === 0) return new Map();
    const rows: { key: string; request_hash: string; result: T }[] = await manager.query(
      `SELECT key, request_hash, result FROM idempotency_keys WHERE key = ANY($1)`,
      [keys],
    );
    return new Map(rows.map((r) => [r.key, { requestHash: r.request_hash, result: r.result }]));
  }

  /**
   * Records results under their keys in the caller's transaction, one
   * statement. A key recorded meanwhile by another transaction fails the
   * insert (unique violation on idempotency_keys_pkey), rolling back what this one appended.
   */
  async recordResults(manager: EntityManager, records: readonly RecordedResult[]): Promise<void> {
    if (records.length === 0) return;
    const params = [JSON.stringify(records.map((r) => ({ k: r.key, h: r.requestHash, s: r.streamId, r: r.result })))];
    // Named (planned once per connection) but for a large batch's, as the append.
    await queryNamed(manager, 'coldtrace_record_results', RECORD_SQL, params, records.length);
  }

  /**
   * Appends in a transaction of its own, for tools that write without
   * commands (bench/support/append-copies.js); the api appends through
   * appendStreams inside its command's transaction.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<{ readonly kind: 'appended'; readonly result: AppendManyResult }> {
    const result = await this.dataSource.transaction((manager) => this.appendStreams(manager, appends));
    if (result.events.length > 0) this.appended.notify();
    return { kind: 'appended', result };
  }

  /**
   * The append itself, in the caller's transaction: every stream at its
   * expected version (a stream with no events is only checked), the hash
   * chains extended, the inline projections run. One statement writes it all
   * (APPEND_SQL), plus one a table for the inline projections that have
   * events of theirs in it, plus the lock when the caller has not taken it.
   */
  async appendStreams(manager: EntityManager, appends: readonly StreamAppend[], locked?: ReadonlyMap<string, LockedStream>): Promise<AppendManyResult> {
    const signer = this.signer;
    if (!signer && appends.some((a) => a.events.length > 0)) throw new NoSigningKeyError();
    const ids = [...new Set(appends.map((a) => a.streamId))];
    if (ids.length !== appends.length) throw new Error('appendStreams: a stream appears twice');
    // Streams the caller locked in this transaction (lockStreams) need no second lock or read.
    const actual = locked && ids.every((id) => locked.has(id)) ? locked : await this.lockStreams(ids, manager);
    for (const a of appends) {
      const found = actual.get(a.streamId)?.version ?? 0;
      if (found !== a.expectedVersion) throw new WrongExpectedVersionError(a.streamId, a.expectedVersion, actual.get(a.streamId)?.exists ? found : null);
    }
    const writing = appends.filter((a) => a.events.length > 0);
    const stored = await this.writeAll(manager, signer, writing, actual);
    const byStream = new Map<string, StoredEvent[]>();
    for (const e of stored) {
      const list = byStream.get(e.streamId);
      if (list) list.push(e);
      else byStream.set(e.streamId, [e]);
    }
    const streams: AppendResult[] = appends.map((a) => {
      const mine = (byStream.get(a.streamId) ?? []).sort((x, y) => x.version - y.version);
      return {
        streamId: a.streamId,
        nextVersion: a.expectedVersion + a.events.length,
        position: mine.length ? mine[mine.length - 1].globalPosition : (actual.get(a.streamId)?.position ?? 0),
        events: mine,
      };
    });
    if (stored.length > 0) for (const inline of this.inline) await inline(stored, manager);
    return {
      position: stored.length ? stored[stored.length - 1].globalPosition : (streams[0]?.position ?? 0),
      streams,
      events: stored,
    };
  }

  /** Hashed, signed and written: a large append (a recall of a family) on its own path (large-append.ts). */
  private async writeAll(manager: EntityManager, signer: EventSigner | null, writing: readonly StreamAppend[], heads: ReadonlyMap<string, LockedStream>): Promise<StoredEvent[]> {
    if (writing.reduce((n, a) => n + a.events.length, 0) >= LARGE_APPEND) return appendLarge(manager, signer!, writing, heads);
    const rows = await this.hashAndSign(signer, writing, heads);
    return rows.length > 0 ? this.write(manager, writing, rows) : [];
  }

  /**
   * Each event's chain hash and signature, in memory before anything is
   * written: the hash covers nothing the database assigns, and the stream rows
   * locked hold each chain's head, so no other append can chain from the same
   * one. Signed here, so each signature goes in with its event: no moment where
   * one stands unsigned. A large append hands its hashes to the signing thread
   * a chunk at a time as they are computed, so signing runs beside the hashing
   * of the rest. Data and metadata are written as canonical JSON once, for the
   * hash and the row both (jsonb keeps no key order of its own anyway); events
   * of one request share their metadata object, written once.
   */
  private async hashAndSign(signer: EventSigner | null, writing: readonly StreamAppend[], heads: ReadonlyMap<string, LockedStream>): Promise<EventToWrite[]> {
    const pooled = signsOnThreadPool(writing.reduce((n, a) => n + a.events.length, 0));
    const now = new Date().toISOString();
    const events: { -readonly [K in keyof EventToWrite]: EventToWrite[K] }[] = [];
    const chunks: Promise<EventSignature[]>[] = [];
    let chunk: string[] = [];
    let lastMetadata: unknown = undefined;
    let lastMetadataJson = '';
    for (const a of writing) {
      let previous = heads.get(a.streamId)?.headHash ?? GENESIS_HASH;
      for (let i = 0; i < a.events.length; i++) {
        const event = a.events[i];
        const metadata = event.metadata ?? {};
        if (metadata !== lastMetadata || events.length === 0) {
          lastMetadata = metadata;
          lastMetadataJson = canonicalJson(metadata);
        }
        const e = {
          streamId: a.streamId,
          version: a.expectedVersion + i + 1,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata,
          // Milliseconds, computed here: what is stored must re-hash identically when read back as a Date.
          occurredAt: new Date(event.occurredAt ?? now).toISOString(),
          dataJson: canonicalJson(event.data),
          metadataJson: lastMetadataJson,
          hash: '',
          eventId: randomUUID(),
          signature: null as unknown as EventSignature,
        };
        previous = eventHashOfParts(previous, e, e.dataJson, e.metadataJson);
        e.hash = previous;
        events.push(e);
        if (!pooled) e.signature = signer!.signHash(previous);
        else if (chunk.push(previous) === SIGNING_CHUNK) {
          chunks.push(signer!.signHashes(chunk));
          chunk = [];
        }
      }
    }
    if (pooled) {
      if (chunk.length > 0) chunks.push(signer!.signHashes(chunk));
      let k = 0;
      for (const signatures of await Promise.all(chunks)) for (const signature of signatures) events[k++].signature = signature;
    }
    return events;
  }

  /** APPEND_SQL with these streams and events; answers the events as stored, in position order. */
  private async write(manager: EntityManager, writing: readonly StreamAppend[], rows: readonly EventToWrite[]): Promise<StoredEvent[]> {
    const heads = new Map(rows.map((r) => [r.streamId, r.hash]));
    // Only what the database assigns comes back: the rest is in hand (parsing each event's JSON back cost more than writing it).
    const params = [
      writing.map((a) => a.streamId),
      writing.map((a) => a.streamType),
      writing.map((a) => a.expectedVersion),
      writing.map((a) => a.expectedVersion + a.events.length),
      writing.map((a) => heads.get(a.streamId)!),
      eventsJson(rows),
      APPENDS_CHANNEL,
    ];
    type Answer = { transaction_id: string; assigned: [eventId: string, position: string, recordedAt: string][] | null };
    const [answer]: Answer[] = await queryNamed<Answer>(manager, 'coldtrace_append', APPEND_SQL, params, Math.max(rows.length, writing.length));
    const assigned = answer?.assigned ?? [];
    if (assigned.length !== rows.length) {
      // Nothing was written: a stream this append creates was created by a transaction that committed since the check.
      const first = writing.find((a) => a.expectedVersion === 0) ?? writing[0];
      throw new WrongExpectedVersionError(first.streamId, first.expectedVersion, null);
    }
    const byId = new Map(assigned.map((r) => [r[0], r]));
    return rows
      .map((c): StoredEvent => {
        const r = byId.get(c.eventId)!;
        return {
          eventId: c.eventId,
          streamId: c.streamId,
          version: c.version,
          type: c.type,
          schemaVersion: c.schemaVersion,
          // As read back from jsonb: what the inline projections and caches see is what readers will.
          data: JSON.parse(c.dataJson),
          metadata: JSON.parse(c.metadataJson),
          occurredAt: c.occurredAt,
          recordedAt: r[2],
          globalPosition: Number(r[1]),
          transactionId: answer.transaction_id,
          hash: c.hash,
          signature: c.signature,
        };
      })
      .sort((a, b) => a.globalPosition - b.globalPosition);
  }

  /**
   * Locks the existing streams' version rows until the caller's transaction
   * ends, in one order (so two lockers cannot deadlock on one call's set):
   * writers of those streams wait, so what is read next stays true. Answers
   * where each stream stands (a stream not created yet: version 0, not
   * `exists`); pass that to appendStreams in the same transaction.
   */
  async lockStreams(streamIds: readonly string[], manager: EntityManager): Promise<Map<string, LockedStream>> {
    const locked = new Map<string, LockedStream>(streamIds.map((id) => [id, { version: 0, position: 0, headHash: GENESIS_HASH, exists: false }]));
    if (streamIds.length === 0) return locked;
    type Row = { stream_id: string; version: number; position: string | null; head_hash: string };
    const params = [streamIds, APPEND_LOCK];
    const rows: Row[] = await queryNamed<Row>(manager, 'coldtrace_lock_streams', LOCK_SQL, params, streamIds.length);
    for (const r of rows) locked.set(r.stream_id, { version: Number(r.version), position: Number(r.position ?? 0), headHash: r.head_hash, exists: true });
    return locked;
  }

  /**
   * Many streams at once, e.g. every lot a recall reaches. `after` skips what
   * the caller already folded (a cached state at that version): the slice then
   * holds only the newer events, and its version is the stream's current one.
   */
  async readStreams(
    streamIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
    after: ReadonlyMap<string, number> = new Map(),
  ): Promise<Map<string, StreamSlice>> {
    const read = await readStreamRanges(
      manager,
      streamIds.map((streamId) => ({ streamId, after: after.get(streamId) ?? 0, upTo: null })),
    );
    return new Map(
      streamIds.map((id) => {
        const list = read.get(id) ?? [];
        return [id, { streamId: id, version: list.length ? list[list.length - 1].version : after.get(id) ?? 0, events: list }];
      }),
    );
  }

  /**
   * Events after `checkpoint` in commit-safe order. Sequence numbers are
   * taken at insert, not at commit, so a transaction still open may later
   * commit a lower position: events are read by (transaction id, position) and
   * only below the horizon, the oldest transaction still appending (see
   * appendHorizon). Transactions that append nothing (another database on the
   * server, a long report) do not hold the read side back. `signed: false`:
   * without their signatures (not joined), for a reader that does not pass
   * them on (a rebuild).
   */
  async readAfter(checkpoint: Checkpoint, limit: number, manager: EntityManager = this.dataSource.manager, signed = true): Promise<StoredEvent[]> {
    // Two statements, two snapshots: the horizon's, then a later one to read by (see appendHorizon for why).
    // ORDER BY names the table's columns (e.): bare, `transaction_id` would be the text alias of the select
    // list, sorting '1000000' before '999999' (out of order past a digit boundary, and no index).
    const horizon = await this.appendHorizon(manager);
    const rows: EventRow[] = await manager.query(
      `SELECT ${signed ? `${EVENT_COLUMNS} FROM ${SIGNED_EVENTS}` : `${UNSIGNED_COLUMNS} FROM events e`}
        WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
          AND e.transaction_id < $3::xid8
        ORDER BY e.transaction_id, e.global_position
        LIMIT $4`,
      [checkpoint.transactionId, checkpoint.globalPosition, horizon, limit],
    );
    return rows.map(toStoredEvent);
  }

  /**
   * The oldest transaction id an event may still commit under: the smallest
   * id of a transaction holding APPEND_LOCK (every append takes it before it
   * writes anything, so before it has an id), else the next id to be handed
   * out. Read in one statement (snapshot S1, then the lock table); the events
   * are read in a later one (snapshot S2). An appender still open at S2 with an
   * id below the horizon would have had that id before S1, so held the lock
   * then and still holds it: it is in the lock table, and the horizon is at or
   * below its id. Ids of other transactions do not count, whatever their age.
   */
  async appendHorizon(manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [{ horizon }]: { horizon: string }[] = await manager.query(
      `WITH snapshot AS (SELECT pg_current_snapshot() AS s),
            appenders AS (
              SELECT t.transactionid::text::bigint AS xid32
                FROM pg_locks a
                JOIN pg_locks t ON t.virtualtransaction = a.virtualtransaction AND t.locktype = 'transactionid'
               WHERE a.locktype = 'advisory' AND a.classid = 0 AND a.objid = $1 AND a.objsubid = 1
                 AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            )
       SELECT coalesce(
                (SELECT min(x) FROM snapshot, pg_snapshot_xip(snapshot.s) AS x
                  WHERE (x::text::bigint % 4294967296) IN (SELECT xid32 FROM appenders)),
                (SELECT pg_snapshot_xmax(s) FROM snapshot)
              )::text AS horizon`,
      [APPEND_LOCK],
    );
    return horizon;
  }

  /** The highest global position written so far (committed or not yet visible to subscriptions). */
  async headPosition(): Promise<number> {
    const rows = await this.dataSource.query(`SELECT COALESCE(max(global_position), 0) AS head FROM events`);
    return Number(rows[0].head);
  }
}
