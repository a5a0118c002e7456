export * from './event-store.types';
export * from './event-store.errors';
export * from './append-signal';
export * from './postgres-event-store';
export * from './checkpointed-subscription';
export * from './subscription-worker';
export * from './entities/event.entity';
export * from './entities/stream.entity';
export * from './entities/idempotency-key.entity';
export * from './entities/subscription-checkpoint.entity';
export * from './migrations/1764400000000-create-event-store';
import { EventEntity } from './entities/event.entity';
import { StreamEntity } from './entities/stream.entity';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { SubscriptionCheckpointEntity } from './entities/subscription-checkpoint.entity';
import { CreateEventStore1764400000000 } from './migrations/1764400000000-create-event-store';

export const EVENT_STORE_ENTITIES = [EventEntity, StreamEntity, IdempotencyKeyEntity, SubscriptionCheckpointEntity];
export const EVENT_STORE_MIGRATIONS = [CreateEventStore1764400000000];
