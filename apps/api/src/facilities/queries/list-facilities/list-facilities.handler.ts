import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FACILITY } from '../../../common/commands/aggregates';
import { pageOf } from '../../../common/queries/page';
import { FacilityRepository } from '../../facility.repository';
import { FacilityListView, ListFacilitiesQuery } from './list-facilities.query';

/**
 * Registered facilities in id order. Which exist is read from the event
 * store's streams (a facility is its stream), what each is from its stream
 * through the repository (no read model of facilities to keep fresh).
 */
@QueryHandler(ListFacilitiesQuery)
export class ListFacilitiesHandler implements IQueryHandler<ListFacilitiesQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
  ) {}

  async execute({ page }: ListFacilitiesQuery): Promise<FacilityListView> {
    // Every stream id of a facility is its id behind one prefix, so stream id order is id order.
    const rows: { stream_id: string }[] = await this.dataSource.query(
      `SELECT stream_id FROM event_streams
        WHERE stream_type = $1 ${page.after === null ? '' : 'AND stream_id > $3'}
        ORDER BY stream_id LIMIT $2`,
      [FACILITY.streamType, page.limit + 1, ...(page.after === null ? [] : [FACILITY.streamId(page.after)])],
    );
    const prefix = FACILITY.streamId('');
    const { items: ids, nextCursor } = pageOf(
      rows.map((r) => r.stream_id.slice(prefix.length)),
      page,
      (id) => id,
    );
    const found = await this.facilities.findMany(ids);
    return {
      nextCursor,
      items: ids.flatMap((id) => {
        const f = found.get(id);
        return f ? [{ id: f.id, name: f.name, type: f.type, zones: f.zones.map((z) => ({ id: z.id, kind: z.kind })) }] : [];
      }),
    };
  }
}
