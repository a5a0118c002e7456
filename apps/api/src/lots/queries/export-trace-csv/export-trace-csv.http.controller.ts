import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { sendCsv } from '../../../common/http/csv';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { LOT_READERS } from '../../lot-queries.http.controller';
import { ExportTraceCsvQuery } from './export-trace-csv.query';
import { ExportTraceCsvRequestDto } from './export-trace-csv.request.dto';

@Controller('lots')
export class ExportTraceCsvHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The trace as a spreadsheet (README, "Spreadsheets"): same readers and scope as GET :traceCode/trace. */
  @Get(':traceCode/trace.csv')
  @LOT_READERS
  async traceCsv(@Param('traceCode') traceCode: string, @Query() q: ExportTraceCsvRequestDto, @Ctx() ctx: RequestContext, @Res() res: Response): Promise<void> {
    const { fileName, chunks } = await this.queryBus.execute(new ExportTraceCsvQuery(traceCode, q.direction, atLeastOf(q), ctx.principal));
    await sendCsv(res, fileName, chunks);
  }
}
