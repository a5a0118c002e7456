import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { lotStatus, notFound, productView, saleEligibility } from '@app/domain';
import { LotSummaryEntity } from '@app/read-models';
import { pageOf } from '../../../common/queries/page';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { FacilityRepository } from '../../facility.repository';
import { GetInventoryQuery, InventoryView } from './get-inventory.query';

/** What a facility holds now (nothing sold out, nothing in transit), each lot with its status and verdict. */
@QueryHandler(GetInventoryQuery)
export class GetInventoryHandler implements IQueryHandler<GetInventoryQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ facilityId, atLeast, page }: GetInventoryQuery): Promise<InventoryView> {
    if (!(await this.facilities.find(facilityId))) {
      throw notFound('FACILITY_NOT_FOUND', `no facility ${facilityId} is registered`, { facilityId });
    }
    await this.gate.reach('lot-summary', atLeast);
    // Held now: nothing sold out (a lot in transit has no holder).
    const rows: Pick<LotSummaryEntity, 'traceCode' | 'lot' | 'facts'>[] = await this.dataSource.query(
      `SELECT trace_code AS "traceCode", lot, facts FROM lot_summary
        WHERE holder_facility_id = $1 AND (facts->'quantity'->>'remaining')::numeric > 0 ${page.after === null ? '' : 'AND trace_code > $3'}
        ORDER BY trace_code LIMIT $2`,
      [facilityId, page.limit + 1, ...(page.after === null ? [] : [page.after])],
    );
    const { items, nextCursor } = pageOf(rows, page, (r) => r.traceCode);
    const now = new Date();
    return {
      facilityId,
      nextCursor,
      lots: items.map((r) => {
          const verdict = saleEligibility(r.facts, now);
          return {
            traceCode: r.traceCode,
            product: r.lot.product && productView(r.lot.product),
            quantity: r.lot.quantity,
            holder: r.lot.holder,
            status: lotStatus(r.facts),
            saleAllowed: verdict.allowed,
            reasons: verdict.reasons,
          };
        }),
    };
  }
}
