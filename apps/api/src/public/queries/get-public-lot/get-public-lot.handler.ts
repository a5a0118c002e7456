import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { certificateSummary, consumerStatus, notFound, productView } from '@app/domain';
import { LotSummaryEntity } from '@app/read-models';
import { ReadModelGate } from '../../../common/queries/read-model-gate';
import { FacilityRepository } from '../../../facilities/facility.repository';
import { GetPublicLotQuery, PublicLotView } from './get-public-lot.query';

@QueryHandler(GetPublicLotQuery)
export class GetPublicLotHandler implements IQueryHandler<GetPublicLotQuery> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FacilityRepository) private readonly facilities: FacilityRepository,
    @Inject(ReadModelGate) private readonly gate: ReadModelGate,
  ) {}

  async execute({ traceCode, atLeast }: GetPublicLotQuery): Promise<PublicLotView> {
    await this.gate.reach('lot-summary', atLeast);
    const row = await this.dataSource.getRepository(LotSummaryEntity).findOneBy({ traceCode });
    if (!row || !row.lot.product || row.lot.originCountries.length === 0) {
      throw notFound('LOT_NOT_FOUND', `no lot ${traceCode} is known`, { traceCode });
    }
    const s = row.lot;
    const names = await this.facilities.findMany(s.route.map((stop) => stop.facilityId));
    const now = new Date();
    return {
      traceCode: row.traceCode,
      product: productView(s.product!),
      originCountries: [...s.originCountries],
      path: s.route.map((stop) => ({
        facilityName: names.get(stop.facilityId)?.name ?? stop.facilityId,
        facilityType: stop.facilityType,
        arrivedAt: stop.arrivedAt,
        departedAt: stop.departedAt,
      })),
      certificates: certificateSummary(row.facts, now),
      status: consumerStatus(row.facts, now),
      evaluatedAt: now.toISOString(),
    };
  }
}
