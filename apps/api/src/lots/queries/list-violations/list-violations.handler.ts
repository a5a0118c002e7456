import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TraceViolation } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { LotViolationView, ListViolationsQuery, violationListConditions, VIOLATIONS_FROM } from './list-violations.query';

/**
 * Violations across lots, in trace-code order then by id, from the lot
 * summary's record (the violations as the lot page shows them). A full read
 * of the lot summary: violations are few and the list is a regulator's, not
 * a scanner's (an index on the record would cost every lot's every write).
 */
@QueryHandler(ListViolationsQuery)
export class ListViolationsHandler implements IQueryHandler<ListViolationsQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ filters, atLeast, page }: ListViolationsQuery) {
    await this.gate.reach('lot-summary', atLeast);
    const sql = new SqlParams();
    const where = violationListConditions(filters, sql.p);
    if (page.after !== null) where.push(`(s.trace_code, v->>'id') > (${sql.p(page.after[0])}, ${sql.p(page.after[1])})`);
    const rows: { trace_code: string; violation: TraceViolation }[] = await this.dataSource.query(
      `SELECT s.trace_code, v AS violation FROM ${VIOLATIONS_FROM} ${whereOf(where)}
        ORDER BY s.trace_code, v->>'id' LIMIT ${sql.p(page.limit + 1)}`,
      sql.values,
    );
    return pageOf(
      rows.map((r): LotViolationView => ({ traceCode: r.trace_code, ...r.violation })),
      page,
      (v): [string, string] => [v.traceCode, v.id],
    );
  }
}
