import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EventLogAudit } from '@app/event-store';
import { GetLogDigestQuery, LogDigestView } from './get-log-digest.query';

@QueryHandler(GetLogDigestQuery)
export class GetLogDigestHandler implements IQueryHandler<GetLogDigestQuery> {
  constructor(@Inject(EventLogAudit) private readonly audit: EventLogAudit) {}

  async execute(): Promise<LogDigestView> {
    const { position, digest, streams } = await this.audit.takeDigest();
    return { position, digest, streams, computedAt: new Date().toISOString() };
  }
}
