import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { Allow } from '../../../access/route-policy';
import { sendCsv } from '../../../common/http/csv';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { ExportRecallCsvQuery } from './export-recall-csv.query';

@Controller('recalls')
export class ExportRecallCsvHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The recall as a spreadsheet (README, "Spreadsheets"): the regulator's, as GET /recalls/:id. */
  @Get(':id/export.csv')
  @Allow(['REGULATOR'])
  async exportCsv(@Param('id') id: string, @Query() q: ReadQueryDto, @Res() res: Response): Promise<void> {
    const { fileName, chunks } = await this.queryBus.execute(new ExportRecallCsvQuery(id, atLeastOf(q)));
    await sendCsv(res, fileName, chunks);
  }
}
