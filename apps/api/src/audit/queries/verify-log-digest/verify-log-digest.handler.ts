import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogAudit } from '@app/event-store';
import { LogDigestCheckView, VerifyLogDigestQuery } from './verify-log-digest.query';

/**
 * Re-hashes every chain up to the position from the events' data, so neither a
 * changed event whose hash was left alone nor a rewrite that re-computed the
 * hashes yields the digest kept; and checks every signature up to there.
 */
@QueryHandler(VerifyLogDigestQuery)
export class VerifyLogDigestHandler implements IQueryHandler<VerifyLogDigestQuery> {
  constructor(@Inject(EventLogAudit) private readonly audit: EventLogAudit) {}

  async execute({ position, digest }: VerifyLogDigestQuery): Promise<LogDigestCheckView> {
    const check = await this.audit.verifyDigest(position, digest);
    return {
      position,
      consistent: check.consistent,
      digest: check.digest,
      valid: check.valid,
      streams: check.streams,
      events: check.events,
      invalid: check.invalid.map((v) => ({ streamId: v.streamId, firstInvalidVersion: v.firstInvalidVersion!, reason: v.reason! })),
      invalidStreams: check.invalidStreams,
    };
  }
}
