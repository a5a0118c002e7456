import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { isTraceCodeKey, PageQueryDto, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { Allow } from '../../../access/route-policy';
import { GetInventoryQuery } from './get-inventory.query';

@Controller('facilities')
export class GetInventoryHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id/inventory')
  @Allow(['REGULATOR', 'OPERATOR'], { operatorScope: { facilityIn: 'param', field: 'id' } })
  inventory(@Param('id') id: string, @Query() q: PageQueryDto) {
    return this.queryBus.execute(new GetInventoryQuery(id, atLeastOf(q), pageRequest(q, 200, isTraceCodeKey)));
  }
}
