import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { atLeastOf, ReadQueryDto } from '../../../common/queries/read-query.dto';
import { GetDashboardQuery } from './get-dashboard.query';
import { DashboardResponse } from './get-dashboard.response';

@ApiTags('dashboard')
@Controller('dashboard')
export class GetDashboardHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: "The regulator's dashboard",
    description:
      'Lots not sellable (and per reason), open violations, recalls in progress (goods not sold, holders told), the last hour\'s scans and refusals: each number with `list`, the API list it counts, filtered as counted (the last hour as `since`/`until`).',
  })
  @ApiOkResponse({ type: DashboardResponse })
  @ApiErrors(READ_ERRORS)
  dashboard(@Query() q: ReadQueryDto) {
    return this.queryBus.execute(new GetDashboardQuery(atLeastOf(q)));
  }
}
