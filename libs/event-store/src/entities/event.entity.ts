import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per event, append-only (a trigger refuses UPDATE and DELETE).
 * `transaction_id xid8` is not mapped: TypeORM has no such type, and only the
 * store's own SQL reads it (see PostgresEventStore.readAfter).
 */
@Entity({ name: 'events' })
@Index('events_stream_version_key', ['streamId', 'version'], { unique: true })
export class EventEntity {
  @PrimaryColumn({ name: 'global_position', type: 'bigint' })
  globalPosition: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId: string;

  @Column({ name: 'stream_version', type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ name: 'schema_version', type: 'integer' })
  schemaVersion: number;

  @Column({ type: 'jsonb' })
  data: unknown;

  @Column({ type: 'jsonb' })
  metadata: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  /** SHA-256 chaining the event to the one before it in its stream (integrity/event-hash.ts). */
  @Column({ type: 'bytea' })
  hash: Buffer;
}
