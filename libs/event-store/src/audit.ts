import { DataSource, EntityManager } from 'typeorm';
import { StoredEvent } from './event-store.types';
import { ChainCheck, ChainVerdict } from './integrity/chain-check';
import { hashedEventOf, HashedEventRow } from './integrity/event-hash';
import { EventKeyRing, EventSignature, SignatureJob } from './integrity/event-signature';
import { LogDigest } from './integrity/log-digest';
import { checkRecordedUploads, RecordedUpload, recordedUploadOf, unrecordedUploads } from './integrity/readings-check';
import { APPEND_LOCK, readStreamRanges } from './postgres-event-store';

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
  /** Every stream whose chain or signatures do not hold, in stream id byte order. */
  readonly invalid: ChainVerdict[];
  /** The digests asked for (`digestsAt`), each recomputed from the events' data, in position order. */
  readonly digests: LogDigestAt[];
}

/** A digest kept elsewhere, checked against today's log (POST /api/audit/digest/verify). */
export interface DigestCheck {
  readonly position: number;
  /** Today's log, re-hashed from its events' data up to `position`, yields the digest kept. */
  readonly consistent: boolean;
  /** What it yields; null when the log no longer reaches `position` (it lies beyond today's audit position). */
  readonly digest: string | null;
  /** Every event at or below `position` (or today's audit position, if lower) is chained and signed by an accepted key. */
  readonly valid: boolean;
  /** Streams and events checked. */
  readonly streams: number;
  readonly events: number;
  /** The first streams that fail (at most MAX_NAMED), in stream id byte order. */
  readonly invalid: ChainVerdict[];
  /** How many fail in all. */
  readonly invalidStreams: number;
}

/** One stream's verdict and events, for a caller that acts on the events only if they verify (credentials). */
export interface VerifiedStream {
  readonly verdict: ChainVerdict;
  readonly events: StoredEvent[];
}

/** Streams named in an answer; the rest are counted. */
export const MAX_NAMED = 100;

interface StreamRow {
  stream_id: string;
  version: number;
  head_hash: string | null;
}

interface EventRow extends HashedEventRow {
  global_position: string;
  hash: string;
  signing_key_id: string | null;
  signature: string | null;
}

interface HeadRow {
  stream_id: string;
  stream_version: number;
  hash: string;
}

interface WalkOptions {
  /** One stream only. */
  readonly streamId?: string;
  /** Events at or below this position only; the stream rows (today's heads) are then not compared. */
  readonly upTo?: number;
  /** Positions to digest at, from the events' data. */
  readonly digestsAt?: readonly number[];
}

/** Streams per round trip of a walk: their events are then read a batch at a time. */
const STREAMS_PER_BATCH = 500;

const signatureOf = (r: { signing_key_id: string | null; signature: string | null }): EventSignature | null =>
  r.signing_key_id && r.signature ? { signingKeyId: r.signing_key_id, signature: r.signature } : null;

/**
 * Checks the log against itself and against keys kept outside it: each
 * stream's hash chain re-computed from its stored columns, each event's
 * signature checked with the accepted public keys, and digests of every
 * stream's head as of a position, recomputed from the events' data, to
 * compare with one a regulator kept elsewhere. Reads through server-side
 * cursors in one REPEATABLE READ snapshot, so streams and events agree and
 * the log's size never has to fit in memory; signatures are checked a batch
 * at a time on the thread pool.
 */
export class EventLogAudit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ring: EventKeyRing,
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

  /** One stream's chain and signatures; null when the stream does not exist. */
  async verifyStream(streamId: string): Promise<ChainVerdict | null> {
    let found: ChainVerdict | null = null;
    await this.walk({ streamId }, (v) => {
      found = v;
    });
    return found;
  }

  /**
   * Every stream's chain and signatures, compared with its stream row; and,
   * in the same walk, the digest at each of `digestsAt` recomputed from the
   * data (positions at or below auditPosition() are stable). `onStream` sees
   * each verdict (a progress report, say).
   */
  async verifyAll(options: { digestsAt?: readonly number[]; onStream?: (verdict: ChainVerdict) => void } = {}): Promise<LogVerification> {
    let streams = 0;
    let events = 0;
    const invalid: ChainVerdict[] = [];
    const digests = await this.walk({ digestsAt: options.digestsAt }, (v) => {
      streams++;
      events += v.events;
      if (!v.valid) invalid.push(v);
      options.onStream?.(v);
    });
    return { streams, events, invalid, digests };
  }

  /** A digest as of the current audit position, from the stored heads (cheap: one index probe a stream). */
  async takeDigest(): Promise<LogDigestAt> {
    return this.digestAt(await this.auditPosition());
  }

  /**
   * The digest as of `position` from the stored hashes: for each stream with an
   * event at or below it, in stream id byte order, the version and stored hash
   * of its last such event. Stable only for a position no higher than
   * auditPosition() (appends running meanwhile may still commit events below a higher one).
   */
  async digestAt(position: number): Promise<LogDigestAt> {
    const digest = new LogDigest();
    await this.inSnapshot(async (manager) => {
      // Each stream's last event at or below the position, found backwards along its version index.
      await this.fetchEach<HeadRow>(
        manager,
        'audit_heads',
        `SELECT s.stream_id, h.stream_version, encode(h.hash, 'hex') AS hash
           FROM event_streams s
           CROSS JOIN LATERAL (
             SELECT e.stream_version, e.hash FROM events e
              WHERE e.stream_id = s.stream_id AND e.global_position <= $1
              ORDER BY e.stream_version DESC LIMIT 1) h
          ORDER BY s.stream_id COLLATE "C"`,
        [position],
        async (rows) => {
          for (const r of rows) digest.add(r.stream_id, r.stream_version, r.hash);
        },
      );
    });
    return { position, streams: digest.streams, digest: digest.digest() };
  }

  /**
   * Whether today's log still yields `digest` at `position`, re-hashing every
   * chain from the events' data (not the stored hashes, which a careful
   * rewrite recomputes), and whether every event up to there is chained and
   * signed. A position beyond today's audit position cannot have been
   * digested from this log unless events were removed since: not consistent,
   * and no digest to show (the chains are still checked up to the audit position).
   */
  async verifyDigest(position: number, digest: string): Promise<DigestCheck> {
    const reach = await this.auditPosition();
    const upTo = Math.min(position, reach);
    let streams = 0;
    let events = 0;
    let invalidStreams = 0;
    const invalid: ChainVerdict[] = [];
    const [now] = await this.walk({ upTo, digestsAt: position <= reach ? [position] : [] }, (v) => {
      streams++;
      events += v.events;
      if (v.valid) return;
      invalidStreams++;
      if (invalid.length < MAX_NAMED) invalid.push(v);
    });
    return {
      position,
      consistent: now !== undefined && now.digest === digest,
      digest: now?.digest ?? null,
      valid: invalidStreams === 0,
      streams,
      events,
      invalid,
      invalidStreams,
    };
  }

  /**
   * Whole streams (a few events each: key streams) with their verdicts, so a
   * caller acts on their events only when chain and signatures hold.
   */
  async readVerifiedStreams(streamIds: readonly string[], manager?: EntityManager): Promise<Map<string, VerifiedStream>> {
    const out = new Map<string, VerifiedStream>();
    if (streamIds.length === 0) return out;
    // Stream rows and events from one snapshot: an append between two reads would look like a stream row out of step.
    const read = async (m: EntityManager) => {
      const heads: StreamRow[] = await m.query(`SELECT stream_id, version, encode(head_hash, 'hex') AS head_hash FROM event_streams WHERE stream_id = ANY($1)`, [streamIds]);
      return { heads, events: await readStreamRanges(m, streamIds.map((streamId) => ({ streamId, after: 0, upTo: null }))) };
    };
    const { heads, events } = manager ? await read(manager) : await this.dataSource.transaction('REPEATABLE READ', read);
    const jobs: SignatureJob[] = [];
    const owners: { check: ChainCheck; version: number }[] = [];
    const checks = new Map<string, ChainCheck>();
    for (const h of heads) {
      const check = new ChainCheck(h.stream_id, { version: Number(h.version), headHash: h.head_hash });
      checks.set(h.stream_id, check);
      for (const e of events.get(h.stream_id) ?? []) {
        if (!check.add(e).sound) continue;
        jobs.push({ hash: e.hash, signature: e.signature });
        owners.push({ check, version: e.version });
      }
    }
    (await this.ring.verifyMany(jobs)).forEach((failure, i) => failure && owners[i].check.signatureFailed(owners[i].version, failure));
    for (const [streamId, check] of checks) out.set(streamId, { verdict: check.verdict(), events: events.get(streamId) ?? [] });
    return out;
  }

  /** Which of UPDATE, DELETE, TRUNCATE on `events` the connected role holds (none, for a runtime role set up as docs/security.md says). */
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

  /**
   * Walks the streams in stream id byte order (the digests' order), 500 at a
   * time, their events a batch at a time in version order: each event re-hashed
   * (ChainCheck), each whose chain holds queued for a signature check, the
   * batch's signatures checked together, and the readings of each upload a
   * sound TemperaturesRecorded records against their row (readings-check.ts);
   * then each stream's verdict, and its
   * line of each digest asked for (the last event at or below that position,
   * its version and recomputed hash). Streams with no event in range are left
   * out of a walk up to a position (as they are of a digest).
   */
  private async walk(options: WalkOptions, visit: (verdict: ChainVerdict) => void): Promise<LogDigestAt[]> {
    const positions = [...new Set(options.digestsAt ?? [])].sort((a, b) => a - b);
    const digests = positions.map(() => new LogDigest());
    const bounded = options.upTo !== undefined;
    await this.inSnapshot(async (manager) => {
      const one = options.streamId !== undefined;
      await this.fetchEach<StreamRow>(
        manager,
        'audit_streams',
        `SELECT stream_id, version, encode(head_hash, 'hex') AS head_hash FROM event_streams
          ${one ? 'WHERE stream_id = $1' : ''} ORDER BY stream_id COLLATE "C"`,
        one ? [options.streamId] : [],
        async (streams) => {
          const walks = new Map(
            streams.map((s) => [
              s.stream_id,
              {
                check: new ChainCheck(s.stream_id, bounded ? null : { version: Number(s.version), headHash: s.head_hash }),
                lines: positions.map(() => null as { version: number; hash: string } | null),
                /** Every upload its TemperaturesRecorded events record, digest or not. */
                uploads: new Set<string>(),
              },
            ]),
          );
          await this.fetchEach<EventRow>(
            manager,
            'audit_events',
            `SELECT e.stream_id, e.stream_version, e.global_position, e.type, e.schema_version, e.data, e.metadata, e.occurred_at,
                    encode(e.hash, 'hex') AS hash, g.signing_key_id, encode(g.signature, 'hex') AS signature
               FROM events e LEFT JOIN event_signatures g ON g.global_position = e.global_position
              WHERE e.stream_id = ANY($1) ${bounded ? 'AND e.global_position <= $2' : ''}
              ORDER BY e.stream_id, e.stream_version`,
            bounded ? [streams.map((s) => s.stream_id), options.upTo] : [streams.map((s) => s.stream_id)],
            async (rows) => {
              const jobs: SignatureJob[] = [];
              const owners: { check: ChainCheck; version: number }[] = [];
              const uploads: RecordedUpload[] = [];
              const uploadOwners: { check: ChainCheck; version: number }[] = [];
              for (const r of rows) {
                const w = walks.get(r.stream_id)!;
                if (r.type === 'TemperaturesRecorded') w.uploads.add(String((r.data as { uploadId?: unknown } | null)?.uploadId ?? '').toLowerCase());
                const step = w.check.add({ ...hashedEventOf(r), hash: r.hash });
                const position = Number(r.global_position);
                positions.forEach((p, i) => {
                  if (position <= p) w.lines[i] = { version: r.stream_version, hash: step.recomputed };
                });
                if (!step.sound) continue;
                jobs.push({ hash: r.hash, signature: signatureOf(r) });
                owners.push({ check: w.check, version: r.stream_version });
                // The readings beside the event: covered by its chain through their digest, checked against their row.
                const upload = recordedUploadOf({ streamId: r.stream_id, type: r.type, data: r.data });
                if (upload) {
                  uploads.push(upload);
                  uploadOwners.push({ check: w.check, version: r.stream_version });
                }
              }
              (await this.ring.verifyMany(jobs)).forEach((failure, i) => failure && owners[i].check.signatureFailed(owners[i].version, failure));
              (await checkRecordedUploads(manager, uploads)).forEach(
                (failure, i) => failure && uploadOwners[i].check.readingsFailed(uploadOwners[i].version, failure, uploads[i].uploadId),
              );
            },
          );
          // Rows no event records: only a walk of the whole log can say (one up to a position has not seen the later uploads).
          if (!bounded) {
            for (const row of await unrecordedUploads(manager, streams.map((s) => s.stream_id), (streamId) => walks.get(streamId)!.uploads)) {
              const w = walks.get(row.streamId)!;
              w.check.readingsFailed(Number(streams.find((s) => s.stream_id === row.streamId)!.version), 'READINGS_UNRECORDED', row.uploadId);
            }
          }
          for (const s of streams) {
            const w = walks.get(s.stream_id)!;
            const verdict = w.check.verdict();
            if (bounded && verdict.events === 0) continue;
            visit(verdict);
            w.lines.forEach((line, i) => line && digests[i].add(s.stream_id, line.version, line.hash));
          }
        },
        STREAMS_PER_BATCH,
      );
    });
    return positions.map((position, i) => ({ position, streams: digests[i].streams, digest: digests[i].digest() }));
  }

  private async inSnapshot(work: (manager: EntityManager) => Promise<void>): Promise<void> {
    await this.dataSource.transaction('REPEATABLE READ', async (manager: EntityManager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      await work(manager);
    });
  }

  /** One named server-side cursor in the caller's transaction, `rows` at a time, closed at the end. */
  private async fetchEach<R>(manager: EntityManager, name: string, sql: string, params: unknown[], onBatch: (rows: R[]) => Promise<void>, rows = this.batchSize): Promise<void> {
    await manager.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
    for (;;) {
      const batch: R[] = await manager.query(`FETCH ${rows} FROM ${name}`);
      if (batch.length === 0) break;
      await onBatch(batch);
    }
    await manager.query(`CLOSE ${name}`);
  }
}
