import { DataSource, EntityManager } from 'typeorm';
import { ChainCheck, ChainVerdict } from './integrity/chain-check';
import { LogDigest } from './integrity/log-digest';
import { APPEND_LOCK } from './postgres-event-store';

export interface LogDigestAt {
  /** Every event at or below this global position had committed when the digest was taken. */
  readonly position: number;
  /** SHA-256 (lowercase hex) over each stream's head as of `position` (integrity/log-digest.ts). */
  readonly digest: string;
  /** How many streams had events at or below `position`. */
  readonly streams: number;
}

export interface LogVerification {
  readonly streams: number;
  readonly events: number;
  /** Every stream whose chain does not hold, in stream id order. */
  readonly invalid: ChainVerdict[];
}

interface ChainRow {
  stream_id: string;
  head_version: number;
  head_hash: string | null;
  stream_version: number | null;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
  hash: string;
}

interface HeadRow {
  stream_id: string;
  stream_version: number;
  hash: string;
}

/**
 * Checks the log against itself: each stream's hash chain re-computed from
 * its stored columns, and a digest of every stream's head as of a position
 * that a regulator keeps elsewhere. Reads through server-side cursors in one
 * REPEATABLE READ snapshot, so streams and events agree and the log's size
 * never has to fit in memory.
 */
export class EventLogAudit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly batchSize = 1000,
  ) {}

  /**
   * The highest global position at or below which every event has committed.
   * Positions are taken at insert, not at commit, so `max(global_position)`
   * alone may sit above an append still running; every append holds
   * APPEND_LOCK shared until it commits, so holding it exclusively for the one
   * read waits those out. Appends that start meanwhile wait for this short
   * transaction, then take higher positions.
   */
  async auditPosition(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
      const rows: { head: string }[] = await manager.query(`SELECT COALESCE(max(global_position), 0) AS head FROM events`);
      return Number(rows[0].head);
    });
  }

  /** One stream's chain; null when the stream does not exist. */
  async verifyStream(streamId: string): Promise<ChainVerdict | null> {
    let found: ChainVerdict | null = null;
    await this.walkChains(`s.stream_id = $1`, [streamId], (v) => {
      found = v;
    });
    return found;
  }

  /** Every stream's chain, a batch of rows at a time; `onStream` sees each verdict (a progress report, say). */
  async verifyAll(onStream: (verdict: ChainVerdict) => void = () => undefined): Promise<LogVerification> {
    let streams = 0;
    let events = 0;
    const invalid: ChainVerdict[] = [];
    await this.walkChains(`true`, [], (v) => {
      streams++;
      events += v.events;
      if (!v.valid) invalid.push(v);
      onStream(v);
    });
    return { streams, events, invalid };
  }

  /** A digest as of the current audit position. */
  async takeDigest(): Promise<LogDigestAt> {
    return this.digestAt(await this.auditPosition());
  }

  /**
   * The digest as of `position`: for each stream with an event at or below it,
   * in stream id byte order, the version and stored hash of its last such event.
   * Stable only for a position no higher than auditPosition() (appends running
   * meanwhile may still commit events below a higher one).
   */
  async digestAt(position: number): Promise<LogDigestAt> {
    const digest = new LogDigest();
    await this.withCursor<HeadRow>(
      // Each stream's last event at or below the position, found backwards along its version index.
      `SELECT s.stream_id, h.stream_version, encode(h.hash, 'hex') AS hash
         FROM event_streams s
         CROSS JOIN LATERAL (
           SELECT e.stream_version, e.hash FROM events e
            WHERE e.stream_id = s.stream_id AND e.global_position <= $1
            ORDER BY e.stream_version DESC LIMIT 1) h
        ORDER BY s.stream_id COLLATE "C"`,
      [position],
      (rows) => {
        for (const r of rows) digest.add(r.stream_id, r.stream_version, r.hash);
      },
    );
    return { position, streams: digest.streams, digest: digest.digest() };
  }

  /**
   * Whether today's log still yields `digest` at `position`. A position beyond
   * today's audit position cannot have been digested from this log unless
   * events were removed since: not consistent, and no digest to show.
   */
  async verifyDigest(position: number, digest: string): Promise<{ consistent: boolean; position: number; digest: string | null }> {
    if (position > (await this.auditPosition())) return { consistent: false, position, digest: null };
    const now = await this.digestAt(position);
    return { consistent: now.digest === digest, position, digest: now.digest };
  }

  /** Which of UPDATE, DELETE, TRUNCATE on `events` the connected role holds (none, for a runtime role set up as the README says). */
  async eventsWritePrivileges(): Promise<{ role: string; privileges: string[] }> {
    const rows: { role: string; upd: boolean; del: boolean; trunc: boolean }[] = await this.dataSource.query(
      `SELECT current_user AS role,
              has_table_privilege('events', 'UPDATE') AS upd,
              has_table_privilege('events', 'DELETE') AS del,
              has_table_privilege('events', 'TRUNCATE') AS trunc`,
    );
    const r = rows[0];
    return { role: r.role, privileges: [r.upd && 'UPDATE', r.del && 'DELETE', r.trunc && 'TRUNCATE'].filter((p): p is string => !!p) };
  }

  /** Feeds each stream's events, in version order, to a ChainCheck; a stream row with no events still gets its verdict. */
  private async walkChains(where: string, params: unknown[], visit: (verdict: ChainVerdict) => void): Promise<void> {
    const walk: { check: ChainCheck | null } = { check: null };
    await this.withCursor<ChainRow>(
      `SELECT s.stream_id, s.version AS head_version, encode(s.head_hash, 'hex') AS head_hash,
              e.stream_version, e.type, e.schema_version, e.data, e.metadata, e.occurred_at, encode(e.hash, 'hex') AS hash
         FROM event_streams s LEFT JOIN events e ON e.stream_id = s.stream_id
        WHERE ${where}
        ORDER BY s.stream_id, e.stream_version`,
      params,
      (rows) => {
        for (const r of rows) {
          if (walk.check?.streamId !== r.stream_id) {
            if (walk.check) visit(walk.check.verdict());
            walk.check = new ChainCheck(r.stream_id, { version: Number(r.head_version), headHash: r.head_hash });
          }
          if (r.stream_version === null) continue;
          walk.check.add({
            streamId: r.stream_id,
            version: r.stream_version,
            type: r.type,
            schemaVersion: r.schema_version,
            data: r.data,
            metadata: r.metadata,
            occurredAt: r.occurred_at,
            hash: r.hash,
          });
        }
      },
    );
    if (walk.check) visit(walk.check.verdict());
  }

  private async withCursor<R>(sql: string, params: unknown[], onBatch: (rows: R[]) => void): Promise<void> {
    await this.dataSource.transaction('REPEATABLE READ', async (manager: EntityManager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await manager.query(`DECLARE audit_cursor NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const rows: R[] = await manager.query(`FETCH ${this.batchSize} FROM audit_cursor`);
        if (rows.length === 0) break;
        onBatch(rows);
      }
    });
  }
}
