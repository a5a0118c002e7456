import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import {
  AppendManyOptions,
  AppendManyOutcome,
  AppendManyResult,
  AppendOptions,
  AppendOutcome,
  AppendResult,
  Checkpoint,
  EventMetadata,
  InlineProjection,
  StreamAppend,
  NewEvent,
  RecordedResult,
  StoredEvent,
  StreamSlice,
} from './event-store.types';
import { AppendSignal } from './append-signal';
import { chainHashes, GENESIS_HASH, HashedEvent } from './integrity/event-hash';
import { EventSignature, EventSigner } from './integrity/event-signature';

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

/** One stream's events as they will be inserted: version, millisecond occurredAt, hash and signature settled. */
interface HashedAppend extends StreamAppend {
  readonly rows: readonly (HashedEvent & { readonly occurredAt: string; readonly metadata: EventMetadata; readonly hash: string; readonly signature: EventSignature })[];
}

/** Thrown by an append on a store opened without a signing key (the read-only tools'): an unsigned event would be a forgery's twin. */
export class NoSigningKeyError extends Error {
  constructor() {
    super('this event store has no signing key: it may read, not append (EVENT_SIGNING_KEY_FILE)');
    this.name = 'NoSigningKeyError';
  }
}

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (e: unknown, constraint?: string): boolean => {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.code ?? err.driverError?.code;
  const name = err.constraint ?? err.driverError?.constraint;
  return code === UNIQUE_VIOLATION && (constraint === undefined || name === constraint);
};

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

  /** The result recorded under an idempotency key, if any (IdempotencyKeyReusedError when the request differs). */
  async findRecorded<T>(key: string, requestHash: string): Promise<T | null> {
    const found = (await this.findRecordedMany<T>([key])).get(key);
    if (!found) return null;
    if (found.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
    return found.result;
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
   * Records results under their keys in the caller's transaction. A key
   * recorded meanwhile by another transaction fails the insert (unique
   * violation on idempotency_keys_pkey), rolling back what this one appended.
   */
  async recordResults(manager: EntityManager, records: readonly RecordedResult[]): Promise<void> {
    if (records.length === 0) return;
    await manager.query(
      `INSERT INTO idempotency_keys (key, request_hash, stream_id, result)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])`,
      [records.map((r) => r.key), records.map((r) => r.requestHash), records.map((r) => r.streamId), records.map((r) => JSON.stringify(r.result))],
    );
  }

  /**
   * Appends to one stream in its own transaction. When the idempotency key was
   * used by a transaction that committed first, answers with the result that one recorded.
   */
  async append<T>(streamId: string, events: readonly NewEvent[], options: AppendOptions<T>): Promise<AppendOutcome<T>> {
    const outcome = await this.appendMany<T>([{ streamId, streamType: options.streamType, expectedVersion: options.expectedVersion, events }], {
      idempotency: options.idempotency && { ...options.idempotency, record: (r) => options.idempotency!.record(r.streams[0]) },
    });
    return outcome.kind === 'replayed' ? outcome : { kind: 'appended', result: outcome.result.streams[0], recorded: outcome.recorded };
  }

  /** The single-stream append inside a caller's transaction (tests use this to hold a transaction open). */
  async appendWithin<T>(manager: EntityManager, streamId: string, events: readonly NewEvent[], options: AppendOptions<T>): Promise<AppendOutcome<T>> {
    const outcome = await this.appendManyWithin<T>(
      manager,
      [{ streamId, streamType: options.streamType, expectedVersion: options.expectedVersion, events }],
      { idempotency: options.idempotency && { ...options.idempotency, record: (r) => options.idempotency!.record(r.streams[0]) } },
    );
    return outcome.kind === 'replayed' ? outcome : { kind: 'appended', result: outcome.result.streams[0], recorded: outcome.recorded };
  }

  /**
   * Appends to several streams atomically (a split, a merge, a recall reaching
   * thousands of lots): every stream at its expected version, or nothing.
   */
  async appendMany<T>(appends: readonly StreamAppend[], options: AppendManyOptions<T> = {}): Promise<AppendManyOutcome<T>> {
    try {
      const outcome = await this.dataSource.transaction((manager) => this.appendManyWithin(manager, appends, options));
      if (outcome.kind === 'appended' && outcome.result.events.length > 0) this.appended.notify();
      return outcome;
    } catch (e) {
      if (options.idempotency && isUniqueViolation(e, 'idempotency_keys_pkey')) {
        const recorded = await this.findRecorded<T>(options.idempotency.key, options.idempotency.requestHash);
        if (recorded) return { kind: 'replayed', recorded };
      }
      throw e;
    }
  }

  async appendManyWithin<T>(manager: EntityManager, appends: readonly StreamAppend[], options: AppendManyOptions<T> = {}): Promise<AppendManyOutcome<T>> {
    const { idempotency } = options;
    if (idempotency) {
      const found = (await this.findRecordedMany<T>([idempotency.key], manager)).get(idempotency.key);
      if (found) {
        if (found.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
        return { kind: 'replayed', recorded: found.result };
      }
    }

    const result = await this.appendStreams(manager, appends);
    if (!idempotency) return { kind: 'appended', result };
    const recorded = idempotency.record(result);
    await this.recordResults(manager, [{ key: idempotency.key, requestHash: idempotency.requestHash, streamId: appends[0]?.streamId ?? '', result: recorded }]);
    return { kind: 'appended', result, recorded };
  }

  /**
   * The append itself, in the caller's transaction: every stream at its
   * expected version (a stream with no events is only checked), the hash
   * chains extended, the inline projections run.
   */
  async appendStreams(manager: EntityManager, appends: readonly StreamAppend[], locked?: ReadonlyMap<string, LockedStream>): Promise<AppendManyResult> {
    const signer = this.signer;
    if (!signer && appends.some((a) => a.events.length > 0)) throw new NoSigningKeyError();
    const ids = [...new Set(appends.map((a) => a.streamId))];
    if (ids.length !== appends.length) throw new Error('appendMany: a stream appears twice');
    // Streams the caller locked in this transaction (lockStreams) need no second lock or read.
    const actual = locked && ids.every((id) => locked.has(id)) ? locked : await this.lockStreams(ids, manager);
    for (const a of appends) {
      const found = actual.get(a.streamId)?.version ?? 0;
      if (found !== a.expectedVersion) throw new WrongExpectedVersionError(a.streamId, a.expectedVersion, actual.get(a.streamId)?.exists ? found : null);
    }

    // Hashed here, before any insert: the hash covers nothing the database assigns, and the stream
    // rows just locked hold each chain's head, so no other append can chain from the same one.
    const now = new Date().toISOString();
    const hashed = appends
      .filter((a) => a.events.length > 0)
      .map((a) => {
        const events = a.events.map((event, i) => ({
          streamId: a.streamId,
          version: a.expectedVersion + i + 1,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata ?? {},
          // Milliseconds, computed here: what is stored must re-hash identically when read back as a Date.
          occurredAt: new Date(event.occurredAt ?? now).toISOString(),
        }));
        return { append: a, events, hashes: chainHashes(actual.get(a.streamId)?.headHash ?? GENESIS_HASH, events) };
      });
    // Signed here too, so each signature goes in with its event: no moment where one stands unsigned.
    const signatures = hashed.length > 0 ? await signer!.signHashes(hashed.flatMap((h) => h.hashes)) : [];
    let signed = 0;
    const writing: HashedAppend[] = hashed.map(({ append, events, hashes }) => ({
      ...append,
      rows: events.map((e, i) => ({ ...e, hash: hashes[i], signature: signatures[signed++] })),
    }));
    const headOf = (a: HashedAppend) => a.rows[a.rows.length - 1].hash;
    const fresh = writing.filter((a) => a.expectedVersion === 0);
    if (fresh.length > 0) {
      const created: unknown[] = await manager.query(
        `INSERT INTO event_streams (stream_id, stream_type, version, head_hash)
         SELECT stream_id, stream_type, version, decode(head, 'hex') FROM unnest($1::text[], $2::text[], $3::int[], $4::text[])
             AS t(stream_id, stream_type, version, head)
         ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
        [fresh.map((a) => a.streamId), fresh.map((a) => a.streamType), fresh.map((a) => a.events.length), fresh.map(headOf)],
      );
      // Another transaction created one of them since our check: a concurrent writer won.
      if (created.length !== fresh.length) throw new WrongExpectedVersionError(fresh[0].streamId, 0, null);
    }
    const moved = writing.filter((a) => a.expectedVersion > 0);
    if (moved.length > 0) {
      await manager.query(
        `UPDATE event_streams s SET version = v.next, head_hash = decode(v.head, 'hex'), updated_at = now()
           FROM unnest($1::text[], $2::int[], $3::text[]) AS v(stream_id, next, head)
          WHERE s.stream_id = v.stream_id`,
        [moved.map((a) => a.streamId), moved.map((a) => a.expectedVersion + a.events.length), moved.map(headOf)],
      );
    }

    const stored = await this.insertEvents(manager, writing);
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
    for (const inline of this.inline) await inline(stored, manager);
    return {
      position: stored.length ? Math.max(...stored.map((e) => e.globalPosition)) : (streams[0]?.position ?? 0),
      streams,
      events: stored,
    };
  }

  /** One multi-row INSERT per chunk (PostgreSQL allows 65535 parameters a statement). */
  private async insertEvents(manager: EntityManager, appends: readonly HashedAppend[]): Promise<StoredEvent[]> {
    const all = appends.flatMap((a) =>
      a.rows.map((row) => ({ ...row, eventId: randomUUID(), dataJson: JSON.stringify(row.data), metadataJson: JSON.stringify(row.metadata) })),
    );
    const stored: StoredEvent[] = [];
    const CHUNK = 5000;
    for (let start = 0; start < all.length; start += CHUNK) {
      const chunk = all.slice(start, start + CHUNK);
      // Only what the database assigns comes back: the rest is in hand (parsing each event's JSON back cost more than writing it).
      // One statement for the events and their signatures (keyed by the positions the insert draws).
      const rows: { event_id: string; global_position: string; transaction_id: string; recorded_at: Date }[] = await manager.query(
        `WITH t AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[], $11::text[])
             WITH ORDINALITY AS t(id, stream, version, type, schema_version, data, metadata, occurred, hash, key_id, signature, n)
         ), inserted AS (
           INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
           SELECT id, stream, version, type, schema_version, data, metadata, occurred, decode(hash, 'hex') FROM t ORDER BY n
           RETURNING event_id, global_position, transaction_id::text AS transaction_id, recorded_at
         ), signed AS (
           INSERT INTO event_signatures (global_position, signing_key_id, signature)
           SELECT i.global_position, t.key_id, decode(t.signature, 'hex') FROM inserted i JOIN t ON t.id = i.event_id
         )
         SELECT * FROM inserted`,
        [
          chunk.map((c) => c.eventId),
          chunk.map((c) => c.streamId),
          chunk.map((c) => c.version),
          chunk.map((c) => c.type),
          chunk.map((c) => c.schemaVersion),
          chunk.map((c) => c.dataJson),
          chunk.map((c) => c.metadataJson),
          chunk.map((c) => c.occurredAt),
          chunk.map((c) => c.hash),
          chunk.map((c) => c.signature.signingKeyId),
          chunk.map((c) => c.signature.signature),
        ],
      );
      const assigned = new Map(rows.map((r) => [r.event_id, r]));
      for (const c of chunk) {
        const r = assigned.get(c.eventId)!;
        stored.push({
          eventId: c.eventId,
          streamId: c.streamId,
          version: c.version,
          type: c.type,
          schemaVersion: c.schemaVersion,
          // As read back from jsonb: what the inline projections and caches see is what readers will.
          data: JSON.parse(c.dataJson),
          metadata: JSON.parse(c.metadataJson),
          occurredAt: c.occurredAt,
          recordedAt: r.recorded_at.toISOString(),
          globalPosition: Number(r.global_position),
          transactionId: r.transaction_id,
          hash: c.hash,
          signature: c.signature,
        });
      }
    }
    return stored.sort((a, b) => a.globalPosition - b.globalPosition);
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
    // Before the row locks, as in every append: the same order everywhere, so an audit waiting
    // for the exclusive lock never sits between a stream lock and the append that follows it.
    await manager.query('SELECT pg_advisory_xact_lock_shared($1)', [APPEND_LOCK]);
    const rows: { stream_id: string; version: number; position: string | null; head_hash: string }[] = await manager.query(
      // The stream's last event by (stream_id, stream_version), an index lookup; max(global_position)
      // here made PostgreSQL walk the whole events table backwards once per stream.
      `SELECT s.stream_id, s.version, encode(s.head_hash, 'hex') AS head_hash,
              (SELECT e.global_position FROM events e WHERE e.stream_id = s.stream_id
                ORDER BY e.stream_version DESC LIMIT 1) AS position
         FROM event_streams s WHERE s.stream_id = ANY($1) ORDER BY s.stream_id FOR UPDATE OF s`,
      [streamIds],
    );
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
