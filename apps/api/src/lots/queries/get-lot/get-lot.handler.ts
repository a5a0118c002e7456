import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { lotStatus } from '@app/domain';
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
    const s = row.state;
    return {
      traceCode: row.traceCode,
      product: s.product,
      originCountry: s.originCountry,
      importer: s.importer,
      quantity: s.quantity,
      portOfEntryId: s.portOfEntryId,
      enteredAt: s.enteredAt,
      status: lotStatus(s),
      holder: s.custody,
      inTransit: s.inTransit,
      lock: s.lock,
      documents: [...s.documents],
      violations: [...s.violations],
      route: [...s.route],
      ancestorLocks: [...s.ancestorLocks],
      recalls: [...s.recalls],
      destroyed: s.destroyed,
      parents: [...s.parents],
      children: [...s.children],
      flags: [...s.flags],
      version: row.version,
      position: Number(row.position),
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
