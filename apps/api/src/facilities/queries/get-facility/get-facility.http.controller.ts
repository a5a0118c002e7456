import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow, EVERY_ROLE } from '../../../access/route-policy';
import { GetFacilityQuery } from './get-facility.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/http/api-error.response';
import { FacilityResponse } from './get-facility.response';

@ApiTags('facilities')
@Controller('facilities')
export class GetFacilityHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Allow(EVERY_ROLE, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'A facility and its zones' })
  @ApiOkResponse({ type: FacilityResponse })
  @ApiErrors({ 404: ['FACILITY_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  get(@Param('id') id: string) {
    return this.queryBus.execute(new GetFacilityQuery(id));
  }
}
