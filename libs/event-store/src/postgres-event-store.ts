import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import {
  AppendOptions,
  AppendOutcome,
  AppendResult,
  Checkpoint,
  NewEvent,
  StoredEvent,
  StoredResponse,
  StreamSlice,
} from './event-store.types';
import { AppendSignal } from './append-signal';

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
}

const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, event_id, stream_id, stream_version,
  type, schema_version, data, metadata, occurred_at, recorded_at`;

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
});

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (e: unknown, constraint?: string): boolean => {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = err.code ?? err.driverError?.code;
  const name = err.constraint ?? err.driverError?.constraint;
  return code === UNIQUE_VIOLATION && (constraint === undefined || name === constraint);
};

/**
 * Append-only event store on PostgreSQL. One transaction writes the events,
 * moves the stream's version (optimistic concurrency) and records the
 * idempotency key with the command's answer.
 */
export class PostgresEventStore {
  constructor(
    private readonly dataSource: DataSource,
    readonly appended: AppendSignal = new AppendSignal(),
  ) {}

  async readStream(streamId: string, manager: EntityManager = this.dataSource.manager): Promise<StreamSlice> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    const events = rows.map(toStoredEvent);
    return { streamId, version: events.length ? events[events.length - 1].version : 0, events };
  }

  async findResponse<T>(key: string, requestHash: string): Promise<StoredResponse<T> | null> {
    const rows: { request_hash: string; response: StoredResponse<T> }[] = await this.dataSource.query(
      `SELECT request_hash, response FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    if (rows.length === 0) return null;
    if (rows[0].request_hash !== requestHash) throw new IdempotencyKeyReusedError(key);
    return rows[0].response;
  }

  /**
   * Appends in its own transaction. When the idempotency key was used by a
   * transaction that committed first, answers with that one's stored response.
   */
  async append<T>(streamId: string, events: readonly NewEvent[], options: AppendOptions<T>): Promise<AppendOutcome<T>> {
    try {
      const outcome = await this.dataSource.transaction((manager) =>
        this.appendWithin(manager, streamId, events, options),
      );
      if (outcome.kind === 'appended' && outcome.result.events.length > 0) this.appended.notify();
      return outcome;
    } catch (e) {
      if (options.idempotency && isUniqueViolation(e, 'idempotency_keys_pkey')) {
        const response = await this.findResponse<T>(options.idempotency.key, options.idempotency.requestHash);
        if (response) return { kind: 'replayed', response };
      }
      throw e;
    }
  }

  /** The append itself, inside a caller's transaction (tests use this to hold a transaction open). */
  async appendWithin<T>(
    manager: EntityManager,
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions<T>,
  ): Promise<AppendOutcome<T>> {
    const { expectedVersion, idempotency } = options;
    if (idempotency) {
      const rows: { request_hash: string; response: StoredResponse<T> }[] = await manager.query(
        `SELECT request_hash, response FROM idempotency_keys WHERE key = $1`,
        [idempotency.key],
      );
      if (rows.length > 0) {
        if (rows[0].request_hash !== idempotency.requestHash) throw new IdempotencyKeyReusedError(idempotency.key);
        return { kind: 'replayed', response: rows[0].response };
      }
    }

    let result: AppendResult;
    if (events.length === 0) {
      const slice = await manager.query(
        `SELECT s.version, (SELECT max(global_position) FROM events e WHERE e.stream_id = s.stream_id) AS position
           FROM event_streams s WHERE s.stream_id = $1`,
        [streamId],
      );
      const actual = slice.length ? Number(slice[0].version) : 0;
      if (actual !== expectedVersion) throw new WrongExpectedVersionError(streamId, expectedVersion, slice.length ? actual : null);
      result = { streamId, nextVersion: actual, position: slice.length ? Number(slice[0].position) : 0, events: [] };
    } else {
      const nextVersion = expectedVersion + events.length;
      // Moving the version row first serialises writers of one stream, so a
      // stream's global positions follow its versions.
      const moved =
        expectedVersion === 0
          ? await manager.query(
              `INSERT INTO event_streams (stream_id, stream_type, version) VALUES ($1, $2, $3)
               ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id`,
              [streamId, options.streamType, nextVersion],
            )
          : // TypeORM answers UPDATE with [rows, rowCount]
            (
              await manager.query(
                `UPDATE event_streams SET version = $3, updated_at = now()
                  WHERE stream_id = $1 AND version = $2 RETURNING stream_id`,
                [streamId, expectedVersion, nextVersion],
              )
            )[0];
      if (moved.length === 0) {
        const actual = await manager.query(`SELECT version FROM event_streams WHERE stream_id = $1`, [streamId]);
        throw new WrongExpectedVersionError(streamId, expectedVersion, actual.length ? Number(actual[0].version) : null);
      }

      const params: unknown[] = [];
      const tuples = events.map((event, i) => {
        const base = params.length;
        params.push(
          randomUUID(),
          streamId,
          expectedVersion + i + 1,
          event.type,
          event.schemaVersion,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          event.occurredAt ?? null,
        );
        const p = (n: number) => `$${base + n}`;
        return `(${p(1)}::uuid, ${p(2)}, ${p(3)}::int, ${p(4)}, ${p(5)}::int, ${p(6)}::jsonb, ${p(7)}::jsonb, COALESCE(${p(8)}::timestamptz, clock_timestamp()))`;
      });
      const rows: EventRow[] = await manager.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
         VALUES ${tuples.join(', ')}
         RETURNING ${EVENT_COLUMNS}`,
        params,
      );
      const stored = rows.map(toStoredEvent).sort((a, b) => a.version - b.version);
      result = { streamId, nextVersion, position: stored[stored.length - 1].globalPosition, events: stored };
    }

    if (!idempotency) return { kind: 'appended', result };
    const response = idempotency.respond(result);
    await manager.query(
      `INSERT INTO idempotency_keys (key, request_hash, stream_id, response) VALUES ($1, $2, $3, $4::jsonb)`,
      [idempotency.key, idempotency.requestHash, streamId, JSON.stringify(response)],
    );
    return { kind: 'appended', result, response };
  }

  /**
   * Events after `checkpoint` in commit-safe order. Sequence numbers are taken
   * at insert, not at commit, so a transaction still open may later commit a
   * lower position; reading by transaction id and only below the oldest
   * transaction still running (the snapshot's xmin) never skips it.
   */
  async readAfter(checkpoint: Checkpoint, limit: number, manager: EntityManager = this.dataSource.manager): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [checkpoint.transactionId, checkpoint.globalPosition, limit],
    );
    return rows.map(toStoredEvent);
  }

  /** The highest global position written so far (committed or not yet visible to subscriptions). */
  async headPosition(): Promise<number> {
    const rows = await this.dataSource.query(`SELECT COALESCE(max(global_position), 0) AS head FROM events`);
    return Number(rows[0].head);
  }
}
