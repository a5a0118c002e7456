import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { lotStreamId, notFound } from '@app/domain';
import { EventLogAudit } from '@app/event-store';
import { LotChainView, VerifyLotChainQuery } from './verify-lot-chain.query';

/** Re-hashes the lot's stream from the event store itself, never from a read model, checks each event's signature and each upload's readings against its event. */
@QueryHandler(VerifyLotChainQuery)
export class VerifyLotChainHandler implements IQueryHandler<VerifyLotChainQuery> {
  constructor(@Inject(EventLogAudit) private readonly audit: EventLogAudit) {}

  async execute({ traceCode }: VerifyLotChainQuery): Promise<LotChainView> {
    const verdict = await this.audit.verifyStream(lotStreamId(traceCode));
    if (!verdict) throw notFound('LOT_NOT_FOUND', `no lot ${traceCode} is in the event store`, { traceCode });
    const { valid, events, headHash, firstInvalidVersion, reason, uploadId } = verdict;
    return { traceCode, valid, events, headHash, ...(firstInvalidVersion === undefined ? {} : { firstInvalidVersion, reason }), ...(uploadId === undefined ? {} : { uploadId }) };
  }
}
