import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { pageOf } from '../../../common/queries/page';
import { LotReadRepository } from '../../lot-read.repository';
import { GetLotHistoryQuery, LotHistoryEntryView, LotHistoryView } from './get-lot-history.query';
import type { HistoryKey } from './get-lot-history.request.dto';

const actorView = (actor: unknown): LotHistoryEntryView['actor'] => {
  if (typeof actor === 'string') return { keyId: null, name: actor, role: null };
  if (actor && typeof actor === 'object') {
    const a = actor as Record<string, unknown>;
    return { keyId: String(a.keyId), name: String(a.name), role: String(a.role) };
  }
  return null;
};

@QueryHandler(GetLotHistoryQuery)
export class GetLotHistoryHandler implements IQueryHandler<GetLotHistoryQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast, viewer, order, page }: GetLotHistoryQuery): Promise<LotHistoryView> {
    await this.gate.reach('lot-history', atLeast);
    // An operator's scope is judged on the summary: it must have reached the same event.
    if (viewer.role === 'OPERATOR') await this.gate.reach('lot-summary', atLeast);
    // `occurred`: by when it happened, then as written; an event uploaded late takes its place in time.
    const { items, nextCursor } = pageOf(await this.lots.history(traceCode, viewer, order, page), page, (r): HistoryKey =>
      order === 'occurred' ? { version: r.version, occurred: r.occurredKey } : { version: r.version },
    );
    return {
      traceCode,
      order,
      nextCursor,
      events: items.map((r) => ({
        version: r.version,
        position: Number(r.position),
        eventId: r.eventId,
        type: r.type,
        schemaVersion: r.schemaVersion,
        occurredAt: r.occurredAt.toISOString(),
        recordedAt: r.recordedAt.toISOString(),
        facilityId: r.facilityId,
        scanId: r.scanId,
        actor: actorView(r.metadata.actor),
        data: r.data,
        hash: r.hash?.toString('hex') ?? null,
        signingKeyId: r.signingKeyId,
        signature: r.signature,
      })),
    };
  }
}
