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

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
