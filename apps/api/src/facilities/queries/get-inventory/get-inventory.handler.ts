import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { lotStatus, notFound, saleEligibility } from '@app/domain';
import { LotSummaryEntity } from '@app/read-models';
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

  async execute({ facilityId, atLeast }: GetInventoryQuery): Promise<InventoryView> {
    if (!(await this.facilities.find(facilityId))) {
      throw notFound('FACILITY_NOT_FOUND', `no facility ${facilityId} is registered`, { facilityId });
    }
    await this.gate.reach('lot-summary', atLeast);
    const rows = await this.dataSource.getRepository(LotSummaryEntity).find({ where: { holderFacilityId: facilityId }, order: { traceCode: 'ASC' } });
    const now = new Date();
    return {
      facilityId,
      lots: rows
        .filter((r) => (r.facts.quantity?.remaining ?? 0) > 0)
        .map((r) => {
          const verdict = saleEligibility(r.facts, now);
          return {
            traceCode: r.traceCode,
            product: r.lot.product,
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
