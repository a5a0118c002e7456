import { Query } from '@nestjs/cqrs';
import type { PublishedSigningKey } from '@app/event-store';

export interface SigningKeysView {
  /** The key that signs new events. */
  currentKeyId: string;
  /** Every key an event may name (the current one first, then those rotated out). */
  keys: PublishedSigningKey[];
}

export class ListSigningKeysQuery extends Query<SigningKeysView> {}
