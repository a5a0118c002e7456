import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { isRecallKey, ListRecallsQuery } from './list-recalls.query';
import { ListRecallsRequestDto } from './list-recalls.request.dto';
import { ListRecallsResponse } from './list-recalls.response';

@ApiTags('recalls')
@Controller('recalls')
export class ListRecallsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Recalls',
    description:
      'Newest first, 50 a page (`limit` up to 1000), each with the lots it reached, those still holding goods not sold and how much per unit, and how many holders were told by webhook. `inProgress=true`: some lot still holds goods not sold.',
  })
  @ApiOkResponse({ type: ListRecallsResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ListRecallsRequestDto) {
    const inProgress = q.inProgress === undefined ? undefined : q.inProgress === 'true';
    return this.queryBus.execute(new ListRecallsQuery(inProgress, atLeastOf(q), pageRequest(q, 50, isRecallKey)));
  }
}
