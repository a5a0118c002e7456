import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { lotStatus, maySeeLot, notFound, saleEligibility } from '@app/domain';
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

  async execute({ traceCode, direction, atLeast, viewer }: TraceLotQuery): Promise<TraceView> {
    await this.gate.reach('lot-summary', atLeast);
    const codes = direction === 'forward' ? await this.genealogy.descendants([traceCode]) : await this.genealogy.ancestors(traceCode);
    const found = await this.dataSource.getRepository(LotSummaryEntity).find({ where: { traceCode: In(codes) } });
    // An operator sees the part of the genealogy that came near its facilities, and nothing of other firms' lots.
    const rows = found.filter((r) => maySeeLot(viewer, r.facilityIds));
    if (!rows.some((r) => r.traceCode === traceCode)) {
      throw notFound('LOT_NOT_FOUND', `no lot ${traceCode} is known to the read model`, { traceCode });
    }
    const now = new Date();
    const lots: TraceNode[] = rows
      .map((r) => {
        const l = r.lot;
        return {
          traceCode: r.traceCode,
          product: l.product,
          importers: [...l.importers],
          originCountries: [...l.originCountries],
          portOfEntryId: l.portOfEntryId,
          enteredAt: l.enteredAt,
          quantity: l.quantity,
          status: lotStatus(r.facts),
          saleAllowed: saleEligibility(r.facts, now).allowed,
          holder: l.holder,
          inTransit: l.inTransit,
          route: [...l.route],
          parents: [...l.parents],
        };
      })
      .sort((a, b) => a.traceCode.localeCompare(b.traceCode));
    const known = new Set(found.map((r) => r.traceCode));
    const shown = new Set(rows.map((r) => r.traceCode));
    const scoped = viewer.role === 'OPERATOR';
    return {
      traceCode,
      direction,
      lots,
      links: await this.genealogy.linksAmong(scoped ? [...shown] : codes),
      pending: scoped ? [] : codes.filter((c) => !known.has(c)).sort(),
      hiddenLots: scoped ? codes.length - shown.size : 0,
    };
  }
}
