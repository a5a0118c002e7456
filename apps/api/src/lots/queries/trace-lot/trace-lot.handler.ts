import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { lotStatus, notFound, saleEligibility } from '@app/domain';
import { GenealogyReader, LotSummaryEntity } from '@app/read-models';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { TraceLotQuery, TraceNode, TraceView } from './trace-lot.query';

/** Forward: where did it go (every descendant). Backward: where did it come from (every ancestor, up to the port and importer). */
@QueryHandler(TraceLotQuery)
export class TraceLotHandler implements IQueryHandler<TraceLotQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GenealogyReader) private readonly genealogy: GenealogyReader,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, direction, atLeast }: TraceLotQuery): Promise<TraceView> {
    await this.gate.reach('lot-summary', atLeast);
    const codes = direction === 'forward' ? await this.genealogy.descendants([traceCode]) : await this.genealogy.ancestors(traceCode);
    const rows = await this.dataSource.getRepository(LotSummaryEntity).find({ where: { traceCode: In(codes) } });
    if (!rows.some((r) => r.traceCode === traceCode)) {
      throw notFound('LOT_NOT_FOUND', `no lot ${traceCode} is known to the read model`, { traceCode });
    }
    const now = new Date();
    const lots: TraceNode[] = rows
      .map((r) => {
        const s = r.state;
        return {
          traceCode: r.traceCode,
          product: s.product,
          importer: s.importer,
          originCountry: s.originCountry,
          portOfEntryId: s.portOfEntryId,
          enteredAt: s.enteredAt,
          quantity: s.quantity,
          status: lotStatus(s),
          saleAllowed: saleEligibility(s, now).allowed,
          holder: s.custody,
          inTransit: s.inTransit,
          route: [...s.route],
          parents: [...s.parents],
        };
      })
      .sort((a, b) => a.traceCode.localeCompare(b.traceCode));
    const known = new Set(rows.map((r) => r.traceCode));
    return {
      traceCode,
      direction,
      lots,
      links: await this.genealogy.linksAmong(codes),
      pending: codes.filter((c) => !known.has(c)).sort(),
    };
  }
}
