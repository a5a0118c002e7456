import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { lotNotFound, lotStatus, maySeeLot, productView, saleEligibility } from '@app/domain';
import { GenealogyReader, LotSummaryEntity } from '@app/read-models';
import { pageOf } from '../../../common/queries/page';
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

  async execute({ traceCode, direction, atLeast, viewer, page }: TraceLotQuery): Promise<TraceView> {
    await this.gate.reach('lot-summary', atLeast);
    const codes = direction === 'forward' ? await this.genealogy.descendants([traceCode]) : await this.genealogy.ancestors(traceCode);
    // Who may see which lot, for the whole genealogy (a light read); the page's lots are then read in full.
    const known: { trace_code: string; facility_ids: string[] }[] = await this.dataSource.query(
      `SELECT trace_code, facility_ids FROM lot_summary WHERE trace_code = ANY($1)`,
      [codes],
    );
    // An operator sees the part of the genealogy that came near its facilities, and nothing of other firms' lots.
    const shown = known.filter((r) => maySeeLot(viewer, r.facility_ids)).map((r) => r.trace_code);
    if (!shown.includes(traceCode)) {
      throw lotNotFound(traceCode);
    }
    // Trace-code order (code points, as the cursor compares them).
    const ordered = shown.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rest = page.after === null ? ordered : ordered.filter((c) => c > page.after!);
    const { items, nextCursor } = pageOf(rest.slice(0, page.limit + 1), page, (c) => c);
    const rows = await this.dataSource.getRepository(LotSummaryEntity).find({ where: { traceCode: In(items) } });
    const byCode = new Map(rows.map((r) => [r.traceCode, r]));
    const now = new Date();
    const lots: TraceNode[] = items.flatMap((code) => {
      const r = byCode.get(code);
      if (!r) return [];
      const l = r.lot;
      return [
        {
          traceCode: r.traceCode,
          product: l.product && productView(l.product),
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
        },
      ];
    });
    const knownCodes = new Set(known.map((r) => r.trace_code));
    const scoped = viewer.role === 'OPERATOR';
    return {
      traceCode,
      direction,
      lots,
      // Each link comes once, on the page of its child; parents hidden from an operator stay hidden.
      links: await this.genealogy.linksInto(items, scoped ? ordered : codes),
      pending: scoped ? [] : codes.filter((c) => !knownCodes.has(c)).sort(),
      hiddenLots: scoped ? codes.length - ordered.length : 0,
      nextCursor,
    };
  }
}
