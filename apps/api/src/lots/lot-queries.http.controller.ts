import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { atLeastOf, ReadQueryDto } from '../common/queries/read-query.dto';
import { GetLotHistoryQuery } from './queries/get-lot-history/get-lot-history.query';
import { GetLotQuery } from './queries/get-lot/get-lot.query';
import { GetSaleEligibilityQuery } from './queries/get-sale-eligibility/get-sale-eligibility.query';
import { ListLotsQuery } from './queries/list-lots/list-lots.query';
import { ListLotsRequestDto } from './queries/list-lots/list-lots.request.dto';
import { TraceLotQuery } from './queries/trace-lot/trace-lot.query';
import { TraceLotRequestDto } from './queries/trace-lot/trace-lot.request.dto';

/** Read side of a lot; each accepts `?atLeast=<position>` for read-your-writes. */
@Controller('lots')
export class LotQueriesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The regulator's list: filters, keyset pagination. */
  @Get()
  list(@Query() q: ListLotsRequestDto) {
    return this.queryBus.execute(new ListLotsQuery(q));
  }

  @Get(':traceCode/trace')
  trace(@Param('traceCode') traceCode: string, @Query() q: TraceLotRequestDto) {
    return this.queryBus.execute(new TraceLotQuery(traceCode, q.direction, atLeastOf(q)));
  }

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
