import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a subscription (a projection, the outbox relay) has read; `transaction_id xid8` is read by raw SQL only. */
@Entity({ name: 'subscription_checkpoints' })
export class SubscriptionCheckpointEntity {
  @PrimaryColumn({ name: 'subscription_id', type: 'text' })
  subscriptionId: string;

  @Column({ name: 'global_position', type: 'bigint' })
  globalPosition: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
