import { EntityManager } from 'typeorm';
import { StoredEvent } from '@app/event-store';

/**
 * A read model fed by an ordered stream of stored events. `apply` must be
 * idempotent per event (both transports may redeliver), and runs in the
 * caller's transaction.
 */
export interface Projection {
  readonly name: string;
  /** Tables this projection owns; cleared on rebuild. */
  readonly tables: readonly string[];
  apply(events: readonly StoredEvent[], manager: EntityManager): Promise<void>;
}

export const subscriptionIdOf = (projection: Projection): string => `projection:${projection.name}`;

/**
 * Held exclusively (session lock) for a whole rebuild, and shared by every
 * Kafka-fed apply transaction: the projector pauses while read models are
 * being emptied and replayed, instead of writing into a half-built table.
 */
export const REBUILD_LOCK = 7_305_002;
