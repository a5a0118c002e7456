import { MigrationInterface, QueryRunner } from 'typeorm';
import { chainHashes, GENESIS_HASH } from '../integrity/event-hash';

/** Streams hashed per round trip: bounded memory on a log of any size. */
const STREAMS_PER_BATCH = 500;

interface Row {
  global_position: string;
  stream_id: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
}

/**
 * Tamper evidence: each event's hash chains it to the one before it in its
 * stream, and each stream row keeps its chain's head for the next append.
 * Events written before this migration get their chain computed here, with
 * the same function the store uses.
 */
export class ChainEventHashes1764400006000 implements MigrationInterface {
  name = 'ChainEventHashes1764400006000';

  async up(q: QueryRunner): Promise<void> {
    // ACCESS EXCLUSIVE until commit: no append (from a process still on the old code) slips in unhashed.
    await q.query(`ALTER TABLE events ADD COLUMN hash bytea`);
    await q.query(`ALTER TABLE event_streams ADD COLUMN head_hash bytea`);
    // The one rewrite events ever get, by their owner, re-armed before this transaction commits.
    await q.query(`ALTER TABLE events DISABLE TRIGGER events_append_only`);
    for (let after = ''; ; ) {
      const streams: { stream_id: string }[] = await q.query(
        `SELECT stream_id FROM event_streams WHERE stream_id > $1 ORDER BY stream_id LIMIT $2`,
        [after, STREAMS_PER_BATCH],
      );
      if (streams.length === 0) break;
      const ids = streams.map((s) => s.stream_id);
      after = ids[ids.length - 1];
      const rows: Row[] = await q.query(
        `SELECT global_position, stream_id, stream_version, type, schema_version, data, metadata, occurred_at
           FROM events WHERE stream_id = ANY($1) ORDER BY stream_id, stream_version`,
        [ids],
      );
      const byStream = new Map<string, Row[]>();
      for (const r of rows) {
        const list = byStream.get(r.stream_id);
        if (list) list.push(r);
        else byStream.set(r.stream_id, [r]);
      }
      const positions: string[] = [];
      const hashes: string[] = [];
      const heads: { streamId: string; hash: string }[] = [];
      for (const [streamId, events] of byStream) {
        const chain = chainHashes(
          GENESIS_HASH,
          events.map((e) => ({
            streamId,
            version: e.stream_version,
            type: e.type,
            schemaVersion: e.schema_version,
            data: e.data,
            metadata: e.metadata,
            occurredAt: e.occurred_at,
          })),
        );
        events.forEach((e, i) => {
          positions.push(e.global_position);
          hashes.push(chain[i]);
        });
        heads.push({ streamId, hash: chain[chain.length - 1] });
      }
      await q.query(
        `UPDATE events e SET hash = decode(v.hash, 'hex')
           FROM unnest($1::bigint[], $2::text[]) AS v(global_position, hash)
          WHERE e.global_position = v.global_position`,
        [positions, hashes],
      );
      await q.query(
        `UPDATE event_streams s SET head_hash = decode(v.hash, 'hex')
           FROM unnest($1::text[], $2::text[]) AS v(stream_id, hash)
          WHERE s.stream_id = v.stream_id`,
        [heads.map((h) => h.streamId), heads.map((h) => h.hash)],
      );
    }
    await q.query(`ALTER TABLE events ENABLE TRIGGER events_append_only`);
    await q.query(`ALTER TABLE events ALTER COLUMN hash SET NOT NULL, ADD CONSTRAINT events_hash_sha256 CHECK (octet_length(hash) = 32)`);
    await q.query(
      `ALTER TABLE event_streams ALTER COLUMN head_hash SET NOT NULL, ADD CONSTRAINT event_streams_head_hash_sha256 CHECK (octet_length(head_hash) = 32)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE event_streams DROP COLUMN head_hash`);
    await q.query(`ALTER TABLE events DROP COLUMN hash`);
  }
}
