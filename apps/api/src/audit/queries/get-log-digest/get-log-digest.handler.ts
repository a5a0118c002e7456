import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { digestSigningMessage, EventLogAudit } from '@app/event-store';
import type { EventKeys } from '@app/platform';
import { EVENT_KEYS } from '../../../config/config.tokens';
import { GetLogDigestQuery, LogDigestView } from './get-log-digest.query';

/**
 * The digest of the stored heads, signed: a regulator keeping it holds proof
 * of what this service said the log was, at that position and time.
 */
@QueryHandler(GetLogDigestQuery)
export class GetLogDigestHandler implements IQueryHandler<GetLogDigestQuery> {
  constructor(
    @Inject(EventLogAudit) private readonly audit: EventLogAudit,
    @Inject(EVENT_KEYS) private readonly keys: EventKeys,
  ) {}

  async execute(): Promise<LogDigestView> {
    const { position, digest, streams } = await this.audit.takeDigest();
    const computedAt = new Date().toISOString();
    const { signingKeyId, signature } = this.keys.signer.signMessage(digestSigningMessage(position, digest, computedAt));
    return { position, digest, streams, computedAt, signingKeyId, signature };
  }
}
