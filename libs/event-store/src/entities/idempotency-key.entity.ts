import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A command's first result under its client-chosen key (e.g. a scan id), for its retries. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId: string;

  @Column({ type: 'jsonb' })
  result: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
