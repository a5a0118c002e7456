import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { lotStatus, productView } from '@app/domain';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { LotReadRepository } from '../../lot-read.repository';
import { GetLotQuery, LotView } from './get-lot.query';

@QueryHandler(GetLotQuery)
export class GetLotHandler implements IQueryHandler<GetLotQuery> {
  constructor(
    @Inject(LotReadRepository) private readonly lots: LotReadRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast, viewer }: GetLotQuery): Promise<LotView> {
    await this.gate.reach('lot-summary', atLeast);
    const row = await this.lots.summary(traceCode, viewer);
    const l = row.lot;
    return {
      traceCode: row.traceCode,
      product: l.product && productView(l.product),
      originCountries: [...l.originCountries],
      importers: [...l.importers],
      quantity: l.quantity,
      portOfEntryId: l.portOfEntryId,
      enteredAt: l.enteredAt,
      status: lotStatus(row.facts),
      holder: l.holder,
      inTransit: l.inTransit,
      lock: l.lock,
      documents: [...l.documents],
      violations: [...l.violations],
      route: [...l.route],
      ancestorLocks: [...l.ancestorLocks],
      recalls: [...l.recalls],
      destroyed: l.destroyed,
      parents: [...l.parents],
      children: [...l.children],
      flags: [...l.flags],
      projectionStale: await this.lots.staleness(traceCode),
      version: row.version,
      position: Number(row.position),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
