import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { sendCsv } from '../../../common/http/csv';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { LOT_READERS } from '../../lot-queries.http.controller';
import { ExportTraceCsvQuery } from './export-trace-csv.query';
import { ExportTraceCsvRequestDto } from './export-trace-csv.request.dto';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';

@ApiTags('lots')
@Controller('lots')
export class ExportTraceCsvHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The trace as a spreadsheet (docs/api.md, "Spreadsheets"): same readers and scope as GET :traceCode/trace. */
  @Get(':traceCode/trace.csv')
  @LOT_READERS
  @ApiOperation({
    summary: 'A trace as a spreadsheet (CSV)',
    description: "One row per critical tracking event (receiving, shipping, transformation, sale, destruction) of every lot of the trace the caller may see, with its key data elements; sorted by lot, then time.",
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'UTF-8 with a byte order mark, RFC 4180; one row per critical tracking event (docs/api.md: Spreadsheets)',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="trace-<traceCode>-<direction>.csv"', schema: { type: 'string' } } },
  })
  @ApiErrors(READ_ERRORS, { 404: ['LOT_NOT_FOUND'] })
  async traceCsv(@Param('traceCode') traceCode: string, @Query() q: ExportTraceCsvRequestDto, @Ctx() ctx: RequestContext, @Res() res: FastifyReply): Promise<void> {
    const { fileName, chunks } = await this.queryBus.execute(new ExportTraceCsvQuery(traceCode, q.direction, atLeastOf(q), ctx.principal));
    await sendCsv(res, fileName, chunks);
  }
}
