import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { isPositionKey, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { ScanWindowRequestDto } from '../scan-window.request.dto';
import { ListScansQuery } from './list-scans.query';
import { ListScansResponse } from './list-scans.response';

@ApiTags('scans')
@Controller('scans')
export class ListScansHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Scans recorded, every lot',
    description: 'Newest first, 50 a page (`limit` up to 1000); `since`/`until` on when the API recorded them (the dashboard\'s last hour), `traceCode`, `facilityId`. Scans refused are not here: GET /api/refusals.',
  })
  @ApiOkResponse({ type: ListScansResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ScanWindowRequestDto) {
    return this.queryBus.execute(new ListScansQuery(q, atLeastOf(q), pageRequest(q, 50, isPositionKey)));
  }
}
