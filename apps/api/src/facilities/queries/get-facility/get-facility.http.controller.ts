import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Allow, EVERY_ROLE } from '../../../access/route-policy';
import { GetFacilityQuery } from './get-facility.query';

@Controller('facilities')
export class GetFacilityHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Allow(EVERY_ROLE, { operatorScope: 'unrestricted' })
  get(@Param('id') id: string) {
    return this.queryBus.execute(new GetFacilityQuery(id));
  }
}
