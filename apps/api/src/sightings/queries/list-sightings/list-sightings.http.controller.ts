import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { isPositionKey, pageRequest } from '../../../common/queries/page';
import { ListSightingsQuery } from './list-sightings.query';
import { ListSightingsRequestDto } from './list-sightings.request.dto';
import { ListSightingsResponse } from './list-sightings.response';

@ApiTags('sightings')
@Controller('sightings')
export class ListSightingsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(['REGULATOR'])
  @ApiOperation({ summary: 'Lots reported where they were not sent', description: 'Newest first, 50 a page (`limit` up to 1000); filter by `traceCode` and `facilityId`. A regulator who confirms one corrects the custody on the record (resolve a violation with a correction) or locks the lot.' })
  @ApiOkResponse({ type: ListSightingsResponse })
  @ApiErrors(READ_ERRORS)
  list(@Query() q: ListSightingsRequestDto) {
    return this.queryBus.execute(new ListSightingsQuery({ traceCode: q.traceCode, facilityId: q.facilityId }, pageRequest(q, 50, isPositionKey)));
  }
}
