import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf } from '../../../common/queries/page';
import { SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { ListRefusalsQuery, refusalListConditions, RefusalView } from './list-refusals.query';

interface Row {
  id: string;
  at: Date;
  key_id: string | null;
  key_name: string | null;
  scan_id: string;
  trace_code: string;
  facility_id: string;
  action: string;
  code: string;
  message: string;
}

/** Refused scans newest first; written when the refusal was answered (ScanRefusals), so there is no read model to wait for. */
@QueryHandler(ListRefusalsQuery)
export class ListRefusalsHandler implements IQueryHandler<ListRefusalsQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ window, page }: ListRefusalsQuery) {
    const sql = new SqlParams();
    const where = refusalListConditions(window, sql.p);
    if (page.after !== null) where.push(`id < ${sql.p(page.after)}`);
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM scan_refusals ${whereOf(where)} ORDER BY id DESC LIMIT ${sql.p(page.limit + 1)}`, sql.values);
    return pageOf(
      rows.map(
        (r): RefusalView => ({
          id: Number(r.id),
          at: r.at.toISOString(),
          keyId: r.key_id,
          keyName: r.key_name,
          scanId: r.scan_id,
          traceCode: r.trace_code,
          facilityId: r.facility_id,
          action: r.action,
          code: r.code,
          message: r.message,
        }),
      ),
      page,
      (r) => r.id,
    );
  }
}
