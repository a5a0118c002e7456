import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { LotReadRepository } from '../../lot-read.repository';
import { GetLotHistoryQuery, LotHistoryView } from './get-lot-history.query';

@QueryHandler(GetLotHistoryQuery)
export class GetLotHistoryHandler implements IQueryHandler<GetLotHistoryQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast }: GetLotHistoryQuery): Promise<LotHistoryView> {
    await this.gate.reach('lot-history', atLeast);
    const rows = await this.lots.history(traceCode);
    return {
      traceCode,
      events: rows.map((r) => ({
        version: r.version,
        position: Number(r.position),
        eventId: r.eventId,
        type: r.type,
        schemaVersion: r.schemaVersion,
        occurredAt: r.occurredAt.toISOString(),
        recordedAt: r.recordedAt.toISOString(),
        facilityId: r.facilityId,
        scanId: r.scanId,
        actor: typeof r.metadata.actor === 'string' ? r.metadata.actor : null,
        data: r.data,
      })),
    };
  }
}
