import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { isTraceCodeKey, PageQueryDto, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { Allow } from '../../../access/route-policy';
import { GetRecallQuery } from './get-recall.query';

@Controller('recalls')
export class GetRecallHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Allow(['REGULATOR'])
  recall(@Param('id') id: string, @Query() q: PageQueryDto) {
    return this.queryBus.execute(new GetRecallQuery(id, atLeastOf(q), pageRequest(q, 500, isTraceCodeKey)));
  }
}
