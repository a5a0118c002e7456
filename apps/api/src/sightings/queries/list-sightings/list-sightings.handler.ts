import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActorRef, FacilityType } from '@app/domain';
import { pageOf } from '../../../common/queries/page';
import { ListSightingsQuery, SightingView } from './list-sightings.query';

interface Row {
  sighting_id: string;
  trace_code: string;
  lot_known: boolean;
  facility_id: string;
  facility_type: FacilityType;
  occurred_at: Date;
  note: string;
  reported_at: Date;
  reported_by: ActorRef | null;
  position: string;
}

/**
 * Sightings newest first, keyset-paged by position. The table is written in
 * the report's own transaction, so a committed report is always listed;
 * whether the code is a lot of ours is read from the event store itself.
 */
@QueryHandler(ListSightingsQuery)
export class ListSightingsHandler implements IQueryHandler<ListSightingsQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ filter, page }: ListSightingsQuery) {
    const where: string[] = [];
    const params: unknown[] = [page.limit + 1];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.traceCode !== undefined) add('s.trace_code = ?', filter.traceCode);
    if (filter.facilityId !== undefined) add('s.facility_id = ?', filter.facilityId);
    if (page.after !== null) add('s.position < ?', page.after);
    const rows: Row[] = await this.dataSource.query(
      `SELECT s.*, EXISTS (SELECT 1 FROM event_streams e WHERE e.stream_id = 'lot-' || s.trace_code) AS lot_known
         FROM sightings s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY s.position DESC LIMIT $1`,
      params,
    );
    return pageOf(
      rows.map(
        (r): SightingView => ({
          id: r.sighting_id,
          traceCode: r.trace_code,
          lotKnown: r.lot_known,
          facilityId: r.facility_id,
          facilityType: r.facility_type,
          occurredAt: r.occurred_at.toISOString(),
          note: r.note,
          reportedAt: r.reported_at.toISOString(),
          reportedBy: r.reported_by,
          position: Number(r.position),
        }),
      ),
      page,
      (s) => s.position,
    );
  }
}
