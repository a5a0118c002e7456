import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow } from '../access/route-policy';
import { Ctx, type RequestContext } from '../common/http/request-context';
import { isTraceCodeKey, pageRequest } from '../common/queries/page';
import { atLeastOf, ReadQueryDto } from '../common/queries/read-query.dto';
import { GetLotHistoryQuery } from './queries/get-lot-history/get-lot-history.query';
import { GetLotHistoryRequestDto, historyKeyFor } from './queries/get-lot-history/get-lot-history.request.dto';
import { GetLotQuery } from './queries/get-lot/get-lot.query';
import { GetSaleEligibilityQuery } from './queries/get-sale-eligibility/get-sale-eligibility.query';
import { ListLotsQuery } from './queries/list-lots/list-lots.query';
import { ListLotsRequestDto } from './queries/list-lots/list-lots.request.dto';
import { TraceLotQuery } from './queries/trace-lot/trace-lot.query';
import { TraceLotRequestDto } from './queries/trace-lot/trace-lot.request.dto';

/** Who reads one lot: regulators and inspectors any; an operator the lots that came near its facilities (else 404). */
export const LOT_READERS = Allow(['REGULATOR', 'INSPECTOR', 'OPERATOR'], { operatorScope: 'lot-visible' });

/** Read side of a lot; each accepts `?atLeast=<position>` for read-your-writes. */
@Controller('lots')
export class LotQueriesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The regulator's list: filters, keyset pagination. */
  @Get()
  @Allow(['REGULATOR'])
  list(@Query() q: ListLotsRequestDto) {
    return this.queryBus.execute(new ListLotsQuery(q));
  }

  @Get(':traceCode/trace')
  @LOT_READERS
  trace(@Param('traceCode') traceCode: string, @Query() q: TraceLotRequestDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new TraceLotQuery(traceCode, q.direction, atLeastOf(q), ctx.principal, pageRequest(q, 500, isTraceCodeKey)));
  }

  @Get(':traceCode')
  @LOT_READERS
  lot(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new GetLotQuery(traceCode, atLeastOf(q), ctx.principal));
  }

  @Get(':traceCode/history')
  @LOT_READERS
  history(@Param('traceCode') traceCode: string, @Query() q: GetLotHistoryRequestDto, @Ctx() ctx: RequestContext) {
    const order = q.order ?? 'recorded';
    return this.queryBus.execute(new GetLotHistoryQuery(traceCode, atLeastOf(q), ctx.principal, order, pageRequest(q, 200, historyKeyFor(order))));
  }

  @Get(':traceCode/sale-eligibility')
  @LOT_READERS
  eligibility(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new GetSaleEligibilityQuery(traceCode, atLeastOf(q), ctx.principal));
  }
}
