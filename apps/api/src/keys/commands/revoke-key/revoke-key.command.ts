import { Command } from '@nestjs/cqrs';
import type { RequestContext } from '../../../common/http/request-context';

export interface RevokedKey {
  id: string;
  revokedAt: string;
  version: number;
  position: number;
}

export class RevokeKeyCommand extends Command<RevokedKey> {
  constructor(
    readonly keyId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}
