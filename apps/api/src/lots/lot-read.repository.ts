import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '@app/domain';
import { LotHistoryEntity, LotSummaryEntity, SaleEligibilityEntity } from '@app/read-models';

const lotNotFound = (traceCode: string) =>
  notFound('LOT_NOT_FOUND', `no lot ${traceCode} is known to the read model`, { traceCode });

/** The query side: reads projections only, never the event store. */
@Injectable()
export class LotReadRepository {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async summary(traceCode: string): Promise<LotSummaryEntity> {
    const row = await this.dataSource.getRepository(LotSummaryEntity).findOneBy({ traceCode });
    if (!row) throw lotNotFound(traceCode);
    return row;
  }

  async eligibility(traceCode: string): Promise<SaleEligibilityEntity> {
    const row = await this.dataSource.getRepository(SaleEligibilityEntity).findOneBy({ traceCode });
    if (!row) throw lotNotFound(traceCode);
    return row;
  }

  async history(traceCode: string): Promise<LotHistoryEntity[]> {
    const rows = await this.dataSource.getRepository(LotHistoryEntity).find({ where: { traceCode }, order: { version: 'ASC' } });
    if (rows.length === 0) throw lotNotFound(traceCode);
    return rows;
  }
}
