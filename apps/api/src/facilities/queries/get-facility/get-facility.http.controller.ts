import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetFacilityQuery } from './get-facility.query';

@Controller('facilities')
export class GetFacilityHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  get(@Param('id') id: string) {
    return this.queryBus.execute(new GetFacilityQuery(id));
  }
}
