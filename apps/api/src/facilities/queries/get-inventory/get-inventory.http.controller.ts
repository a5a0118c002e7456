import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { isTraceCodeKey, PageQueryDto, pageRequest } from '../../../common/queries/page';
import { atLeastOf } from '../../../common/queries/read-query.dto';
import { Allow } from '../../../access/route-policy';
import { GetInventoryQuery } from './get-inventory.query';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, READ_ERRORS } from '../../../common/http/api-error.response';
import { InventoryResponse } from './get-inventory.response';

@ApiTags('facilities')
@Controller('facilities')
export class GetInventoryHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id/inventory')
  @Allow(['REGULATOR', 'OPERATOR'], { operatorScope: { facilityIn: 'param', field: 'id' } })
  @ApiOperation({ summary: 'What a facility holds now', description: 'Lots held there, in trace-code order, 200 a page (`limit` up to 1000), each with its sale verdict. An operator: its own facilities only.' })
  @ApiOkResponse({ type: InventoryResponse })
  @ApiErrors(READ_ERRORS, { 404: ['FACILITY_NOT_FOUND'] })
  inventory(@Param('id') id: string, @Query() q: PageQueryDto) {
    return this.queryBus.execute(new GetInventoryQuery(id, atLeastOf(q), pageRequest(q, 200, isTraceCodeKey)));
  }
}
