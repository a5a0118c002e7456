import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogAudit } from '@app/event-store';
import { LogDigestCheckView, VerifyLogDigestQuery } from './verify-log-digest.query';

/** Catches even a rewrite that re-computed every hash after the change: the heads as of the position move. */
@QueryHandler(VerifyLogDigestQuery)
export class VerifyLogDigestHandler implements IQueryHandler<VerifyLogDigestQuery> {
  constructor(@Inject(EventLogAudit) private readonly audit: EventLogAudit) {}

  execute({ position, digest }: VerifyLogDigestQuery): Promise<LogDigestCheckView> {
    return this.audit.verifyDigest(position, digest);
  }
}
