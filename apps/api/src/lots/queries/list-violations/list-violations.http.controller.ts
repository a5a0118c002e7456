import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { isViolationKey, ListViolationsQuery } from './list-violations.query';
import { ListViolationsRequestDto } from './list-violations.request.dto';
import { ListViolationsResponse } from './list-violations.response';

@ApiTags('lots')
@Controller('violations')
export class ListViolationsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Custody violations, every lot',
    description:
      'Each lot\'s violations as its page shows them (one inherited by a split or merge on each lot it reached), with `traceCode`; `status` OPEN (blocking), RESOLVED or EXPLAINED, `facilityId` where the scan was. Trace-code order, 50 a page (`limit` up to 1000). Resolve one with POST /api/lots/:traceCode/violations/:violationId/resolve.',
  })
  @ApiOkResponse({ type: ListViolationsResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ListViolationsRequestDto) {
    return this.queryBus.execute(new ListViolationsQuery({ status: q.status, facilityId: q.facilityId }, atLeastOf(q), pageRequest(q, 50, isViolationKey)));
  }
}
