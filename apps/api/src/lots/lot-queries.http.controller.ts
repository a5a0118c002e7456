import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { atLeastOf, ReadQueryDto } from '../common/queries/read-query.dto';
import { GetLotHistoryQuery } from './queries/get-lot-history/get-lot-history.query';
import { GetLotQuery } from './queries/get-lot/get-lot.query';
import { GetSaleEligibilityQuery } from './queries/get-sale-eligibility/get-sale-eligibility.query';

/** Read side of a lot; each accepts `?atLeast=<position>` for read-your-writes. */
@Controller('lots')
export class LotQueriesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':traceCode')
  lot(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetLotQuery(traceCode, atLeastOf(q)));
  }

  @Get(':traceCode/history')
  history(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetLotHistoryQuery(traceCode, atLeastOf(q)));
  }

  @Get(':traceCode/sale-eligibility')
  eligibility(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetSaleEligibilityQuery(traceCode, atLeastOf(q)));
  }
}
