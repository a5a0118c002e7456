import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { isTraceCodeKey, PageQueryDto, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { Allow } from '../../../access/route-policy';
import { GetRecallQuery } from './get-recall.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { RecallResponse } from './get-recall.response';

@ApiTags('recalls')
@Controller('recalls')
export class GetRecallHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Allow(['REGULATOR'])
  @ApiOperation({ summary: 'A recall and the lots it reached', description: 'Where each lot was when recalled, whether that holder was told by webhook (`told`), and where it is now; `lotCount` counts them all, `lots` come 500 a page in trace-code order.' })
  @ApiOkResponse({ type: RecallResponse })
  @ApiErrors(READ_ERRORS, { 404: ['RECALL_NOT_FOUND'] })
  recall(@Param('id') id: string, @Query() q: PageQueryDto) {
    return this.queryBus.execute(new GetRecallQuery(id, atLeastOf(q), pageRequest(q, 500, isTraceCodeKey)));
  }
}
