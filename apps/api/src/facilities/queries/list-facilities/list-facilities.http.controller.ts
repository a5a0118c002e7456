import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, EVERY_ROLE } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { isTraceCodeKey, PageQueryDto, pageRequest } from '../../../common/queries/page';
import { ListFacilitiesQuery } from './list-facilities.query';
import { FacilityListResponse } from './list-facilities.response';

@ApiTags('facilities')
@Controller('facilities')
export class ListFacilitiesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(EVERY_ROLE, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'Registered facilities', description: 'Each with its zones, in id order, 200 a page (`limit` up to 1000).' })
  @ApiOkResponse({ type: FacilityListResponse })
  @ApiErrors({ 400: ['VALIDATION_FAILED'], 503: ['DATABASE_UNAVAILABLE'] })
  list(@Query() q: PageQueryDto) {
    // A facility id follows the same pattern as a trace code.
    return this.queryBus.execute(new ListFacilitiesQuery(pageRequest(q, 200, isTraceCodeKey)));
  }
}
