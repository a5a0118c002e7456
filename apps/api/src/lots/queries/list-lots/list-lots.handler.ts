import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ComplianceFlag, EligibilityFacts, lotStatus, saleEligibility } from '@app/domain';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { isTraceCodeKey, pageOf, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { lotListConditions } from './list-lots.filter';
import { ListLotsQuery, LotListView } from './list-lots.query';

/**
 * The regulator's list, from the sale-eligibility read model (one indexed row
 * per lot), in trace-code order with keyset pagination; the filters are
 * lotListConditions (which the dashboard counts with).
 */
@QueryHandler(ListLotsQuery)
export class ListLotsHandler implements IQueryHandler<ListLotsQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ filters: f }: ListLotsQuery): Promise<LotListView> {
    await this.gate.reach('sale-eligibility', atLeastOf(f));
    const sql = new SqlParams();
    const p = sql.p;
    const where = lotListConditions(f, p);
    const page = pageRequest(f, 50, isTraceCodeKey);
    if (page.after !== null) where.push(`trace_code > ${p(page.after)}`);
    const rows: {
      trace_code: string;
      facts: EligibilityFacts;
      flag_list: ComplianceFlag[];
      holder_facility_id: string | null;
      importers: string[];
      origin_countries: string[];
      category: string | null;
      entered_at: Date | null;
      position: string;
    }[] = await this.dataSource.query(
      `SELECT trace_code, facts, flag_list, holder_facility_id, importers, origin_countries, category, entered_at, position FROM sale_eligibility
        ${whereOf(where)}
        ORDER BY trace_code LIMIT ${p(page.limit + 1)}`,
      sql.values,
    );
    const { items, nextCursor } = pageOf(rows, page, (r) => r.trace_code);
    const now = new Date();
    return {
      items: items.map((r) => {
        const verdict = saleEligibility(r.facts, now);
        return {
          traceCode: r.trace_code,
          status: lotStatus(r.facts),
          allowed: verdict.allowed,
          reasons: verdict.reasons,
          flags: r.flag_list,
          holderFacilityId: r.holder_facility_id,
          importers: r.importers,
          originCountries: r.origin_countries,
          category: r.category,
          enteredAt: r.entered_at ? r.entered_at.toISOString() : null,
          quantity: r.facts.quantity,
          position: Number(r.position),
        };
      }),
      nextCursor,
    };
  }
}
