import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ComplianceFlag, EligibilityFacts, lotStatus, saleEligibility } from '@app/domain';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { isTraceCodeKey, pageOf, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { ListLotsQuery, LotListView } from './list-lots.query';

/**
 * The regulator's list, from the sale-eligibility read model (one indexed row
 * per lot), in trace-code order with keyset pagination. ALLOWED and BLOCKED
 * also honour certificates that expired since the row was projected.
 */
@QueryHandler(ListLotsQuery)
export class ListLotsHandler implements IQueryHandler<ListLotsQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ filters: f }: ListLotsQuery): Promise<LotListView> {
    await this.gate.reach('sale-eligibility', atLeastOf(f));
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const lapsed = `(lapses_at IS NOT NULL AND lapses_at <= now())`;
    if (f.status === 'ALLOWED') where.push(`allowed AND NOT ${lapsed}`);
    if (f.status === 'BLOCKED') where.push(`(NOT allowed OR ${lapsed})`);
    if (f.status === 'LOCKED') where.push(`'LOT_LOCKED' = ANY(reason_codes)`);
    if (f.status === 'RECALLED') where.push(`'LOT_RECALLED' = ANY(reason_codes)`);
    if (f.reason === 'CERTIFICATE_EXPIRED') where.push(`('CERTIFICATE_EXPIRED' = ANY(reason_codes) OR ${lapsed})`);
    else if (f.reason) where.push(`${p(f.reason)} = ANY(reason_codes)`);
    if (f.flag) where.push(`${p(f.flag)} = ANY(flags)`);
    if (f.facilityId) where.push(`holder_facility_id = ${p(f.facilityId)}`);
    // A merged lot of several origins or importers matches each of them (GIN-indexed containment).
    if (f.importer) where.push(`importers @> ARRAY[${p(f.importer)}]::text[]`);
    if (f.originCountry) where.push(`origin_countries @> ARRAY[${p(f.originCountry.toUpperCase())}]::text[]`);
    if (f.category) where.push(`category = ${p(f.category)}`);
    if (f.from) where.push(`entered_at >= ${p(f.from)}`);
    if (f.to) where.push(`entered_at < ${p(f.to)}`);
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
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY trace_code LIMIT ${p(page.limit + 1)}`,
      params,
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
