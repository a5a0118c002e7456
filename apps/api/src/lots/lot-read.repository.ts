import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { maySeeLot, notFound, Principal } from '@app/domain';
import { LotHistoryEntity, LotSummaryEntity, SaleEligibilityEntity } from '@app/read-models';

const lotNotFound = (traceCode: string) =>
  notFound('LOT_NOT_FOUND', `no lot ${traceCode} is known to the read model`, { traceCode });

/**
 * The query side: reads projections only, never the event store. A lot the
 * viewer may not see answers exactly as an unknown one (LOT_NOT_FOUND), so
 * no firm can tell another's trace codes exist.
 */
@Injectable()
export class LotReadRepository {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async summary(traceCode: string, viewer: Principal): Promise<LotSummaryEntity> {
    const row = await this.dataSource.getRepository(LotSummaryEntity).findOneBy({ traceCode });
    return this.visible(traceCode, row, viewer);
  }

  async eligibility(traceCode: string, viewer: Principal): Promise<SaleEligibilityEntity> {
    const row = await this.dataSource.getRepository(SaleEligibilityEntity).findOneBy({ traceCode });
    return this.visible(traceCode, row, viewer);
  }

  /** The lot's events; for an operator, only once the summary shows the lot came near one of its facilities. */
  async history(traceCode: string, viewer: Principal): Promise<LotHistoryEntity[]> {
    if (viewer.role === 'OPERATOR') await this.summary(traceCode, viewer);
    const rows = await this.dataSource.getRepository(LotHistoryEntity).find({ where: { traceCode }, order: { version: 'ASC' } });
    if (rows.length === 0) throw lotNotFound(traceCode);
    return rows;
  }

  private visible<T extends { facilityIds: string[] }>(traceCode: string, row: T | null, viewer: Principal): T {
    if (!row || !maySeeLot(viewer, row.facilityIds)) throw lotNotFound(traceCode);
    return row;
  }
}
