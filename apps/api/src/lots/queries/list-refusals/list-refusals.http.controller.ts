import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { isPositionKey, pageRequest } from '../../../common/queries/page';
import { ScanWindowRequestDto } from '../scan-window.request.dto';
import { ListRefusalsQuery } from './list-refusals.query';
import { ListRefusalsResponse } from './list-refusals.response';

@ApiTags('scans')
@Controller('refusals')
export class ListRefusalsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({
    summary: 'Scans the API refused',
    description:
      'A scan (alone, in a batch or captured) the rules refused records no event; each is listed here with the key that sent it, the code it was answered and when. Newest first, 50 a page (`limit` up to 1000); `since`/`until` on when it was refused, `traceCode`, `facilityId`.',
  })
  @ApiOkResponse({ type: ListRefusalsResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ScanWindowRequestDto) {
    return this.queryBus.execute(new ListRefusalsQuery(q, pageRequest(q, 50, isPositionKey)));
  }
}
