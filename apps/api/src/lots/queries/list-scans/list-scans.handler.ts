import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCAN_EVENT_ACTION, type ActorRef } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { SqlParams, whereOf } from '../../../common/queries/sql-conditions';
import { ListScansQuery, scanListConditions, ScanView } from './list-scans.query';

interface Row {
  trace_code: string;
  scan_id: string;
  type: keyof typeof SCAN_EVENT_ACTION;
  facility_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  actor: ActorRef | string | null;
  position: string;
}

/** Scans of every lot newest first (by position), from the lot history read model. */
@QueryHandler(ListScansQuery)
export class ListScansHandler implements IQueryHandler<ListScansQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ window, atLeast, page }: ListScansQuery) {
    await this.gate.reach('lot-history', atLeast);
    const sql = new SqlParams();
    const where = scanListConditions(window, sql.p);
    if (page.after !== null) where.push(`position < ${sql.p(page.after)}`);
    const rows: Row[] = await this.dataSource.query(
      `SELECT trace_code, scan_id, type, facility_id, occurred_at, recorded_at, metadata->'actor' AS actor, position
         FROM lot_history ${whereOf(where)} ORDER BY position DESC LIMIT ${sql.p(page.limit + 1)}`,
      sql.values,
    );
    return pageOf(
      rows.map(
        (r): ScanView => ({
          traceCode: r.trace_code,
          scanId: r.scan_id,
          action: SCAN_EVENT_ACTION[r.type],
          facilityId: r.facility_id,
          occurredAt: r.occurred_at.toISOString(),
          recordedAt: r.recorded_at.toISOString(),
          by: r.actor !== null && typeof r.actor === 'object' ? r.actor : null,
          position: Number(r.position),
        }),
      ),
      page,
      (s) => s.position,
    );
  }
}
