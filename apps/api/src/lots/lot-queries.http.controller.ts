import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { invalid } from '@app/domain';
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
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../common/http/api-error.response';
import { LotHistoryResponse } from './queries/get-lot-history/get-lot-history.response';
import { LotResponse } from './queries/get-lot/get-lot.response';
import { SaleEligibilityResponse } from './queries/get-sale-eligibility/get-sale-eligibility.response';
import { ELIGIBILITY_CONTENT_TYPE } from './queries/get-sale-eligibility/sale-eligibility.json';
import { LotListResponse } from './queries/list-lots/list-lots.response';
import { TraceResponse } from './queries/trace-lot/trace-lot.response';
import { GetTemperaturesQuery } from './queries/get-temperatures/get-temperatures.query';
import { GetTemperaturesRequestDto } from './queries/get-temperatures/get-temperatures.request.dto';
import { TemperatureSeriesResponse } from './queries/get-temperatures/get-temperatures.response';

/** Who reads one lot: regulators and inspectors any; an operator the lots that came near its facilities (else 404). */
export const LOT_READERS = Allow(['REGULATOR', 'INSPECTOR', 'OPERATOR'], { operatorScope: 'lot-visible' });

/** Read side of a lot; each accepts `?atLeast=<position>` for read-your-writes. */
@ApiTags('lots')
@Controller('lots')
export class LotQueriesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The regulator's list: filters, keyset pagination. */
  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: "The regulator's list of lots",
    description: 'Filters combine with AND; `importer` and `originCountry` match any of a merged lot\'s. Trace-code order, 50 a page (`limit` 1-1000), `from`/`to` on `enteredAt`.',
  })
  @ApiOkResponse({ type: LotListResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ListLotsRequestDto) {
    return this.queryBus.execute(new ListLotsQuery(q));
  }

  @Get(':traceCode/trace')
  @LOT_READERS
  @ApiOperation({
    summary: "A lot's genealogy",
    description: 'forward: every descendant down to each retail store holding a piece; backward: every ancestor up to the port of entry. Lots in trace-code order, 500 a page, each page with the links into its lots; an operator sees only the lots that came near its facilities.',
  })
  @ApiOkResponse({ type: TraceResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  trace(@Param('traceCode') traceCode: string, @Query() q: TraceLotRequestDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new TraceLotQuery(traceCode, q.direction, atLeastOf(q), ctx.principal, pageRequest(q, 500, isTraceCodeKey)));
  }

  @Get(':traceCode')
  @LOT_READERS
  @ApiOperation({ summary: 'A lot', description: 'Product, origins, quantity, status, custody, papers, violations, route, locks, recalls and genealogy.' })
  @ApiOkResponse({ type: LotResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  lot(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new GetLotQuery(traceCode, atLeastOf(q), ctx.principal));
  }

  @Get(':traceCode/history')
  @LOT_READERS
  @ApiOperation({ summary: "A lot's events", description: 'Every event of the lot with the key that wrote it and its chain hash, 200 a page; `order=occurred` sorts by when things happened.' })
  @ApiOkResponse({ type: LotHistoryResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  history(@Param('traceCode') traceCode: string, @Query() q: GetLotHistoryRequestDto, @Ctx() ctx: RequestContext) {
    const order = q.order ?? 'recorded';
    return this.queryBus.execute(new GetLotHistoryQuery(traceCode, atLeastOf(q), ctx.principal, order, pageRequest(q, 200, historyKeyFor(order))));
  }

  @Get(':traceCode/sale-eligibility')
  @LOT_READERS
  @ApiOperation({ summary: 'May this lot be sold?', description: 'Every reason it is blocked, judged at the time of the request (certificates expire).' })
  @ApiOkResponse({ type: SaleEligibilityResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'], 503: ['PROJECTION_STALE'] })
  // The query answers the JSON text itself (serialised once per lot version): sent as it is.
  // From memory, sale-eligibility.fast-lane.ts answers it before this pipeline with the same checks.
  @Header('Content-Type', ELIGIBILITY_CONTENT_TYPE)
  eligibility(@Param('traceCode') traceCode: string, @Query() q: ReadQueryDto, @Ctx() ctx: RequestContext) {
    return this.queryBus.execute(new GetSaleEligibilityQuery(traceCode, atLeastOf(q), ctx.principal));
  }

  @Get(':traceCode/temperatures')
  @LOT_READERS
  @ApiOperation({
    summary: "A lot's temperature log",
    description:
      "Every device's readings (the part inherited from ancestors up to the lot's making included) between `from` and `to`, as at most 1,000 points (or `resolution`): each the mean, min and max of its time bucket; with the category's range and the excursions, abuses and gaps the rules find there. Read from the record itself: an upload is visible as soon as it is answered.",
  })
  @ApiOkResponse({ type: TemperatureSeriesResponse })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  temperatures(@Param('traceCode') traceCode: string, @Query() q: GetTemperaturesRequestDto, @Ctx() ctx: RequestContext) {
    if (q.from && q.to && Date.parse(q.from) > Date.parse(q.to)) throw invalid('VALIDATION_FAILED', 'from must not be after to', { field: 'from' });
    return this.queryBus.execute(new GetTemperaturesQuery(traceCode, { from: q.from, to: q.to, resolution: q.resolution }, atLeastOf(q), ctx.principal));
  }
}
