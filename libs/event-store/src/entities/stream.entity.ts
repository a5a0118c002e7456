import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The current version of each stream: the row optimistic concurrency locks on. */
@Entity({ name: 'event_streams' })
export class StreamEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'text' })
  streamId: string;

  @Column({ name: 'stream_type', type: 'text' })
  streamType: string;

  @Column({ type: 'integer' })
  version: number;

  /** The hash of the stream's last event: where the next append's chain starts. */
  @Column({ name: 'head_hash', type: 'bytea' })
  headHash: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
