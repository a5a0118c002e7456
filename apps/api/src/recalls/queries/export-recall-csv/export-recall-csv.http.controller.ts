import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { sendCsv } from '../../../common/http/csv';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { ExportRecallCsvQuery } from './export-recall-csv.query';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';

@ApiTags('recalls')
@Controller('recalls')
export class ExportRecallCsvHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  /** The recall as a spreadsheet (docs/api.md, "Spreadsheets"): the regulator's, as GET /recalls/:id. */
  @Get(':id/export.csv')
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'A recall as a spreadsheet (CSV)',
    description: 'One row per critical tracking event of every lot the recall reached, with the holder at recall; sorted by lot, then time.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'UTF-8 with a byte order mark, RFC 4180; one row per critical tracking event (docs/api.md: Spreadsheets)',
    content: { 'text/csv': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename="recall-<id>.csv"', schema: { type: 'string' } } },
  })
  @ApiErrors(READ_ERRORS, { 404: ['RECALL_NOT_FOUND'] })
  async exportCsv(@Param('id') id: string, @Query() q: ReadQueryDto, @Res() res: FastifyReply): Promise<void> {
    const { fileName, chunks } = await this.queryBus.execute(new ExportRecallCsvQuery(id, atLeastOf(q)));
    await sendCsv(res, fileName, chunks);
  }
}
