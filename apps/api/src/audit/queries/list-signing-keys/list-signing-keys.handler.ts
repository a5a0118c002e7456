import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { EventKeys } from '@app/platform';
import { EVENT_KEYS } from '../../../config/config.tokens';
import { ListSigningKeysQuery, SigningKeysView } from './list-signing-keys.query';

/** From the key file, not the database: keys someone wrote into a table would be theirs. */
@QueryHandler(ListSigningKeysQuery)
export class ListSigningKeysHandler implements IQueryHandler<ListSigningKeysQuery> {
  constructor(@Inject(EVENT_KEYS) private readonly keys: EventKeys) {}

  async execute(): Promise<SigningKeysView> {
    return { currentKeyId: this.keys.signer.signingKeyId, keys: this.keys.ring.published() };
  }
}
