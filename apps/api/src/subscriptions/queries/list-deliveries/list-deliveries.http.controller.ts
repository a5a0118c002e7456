import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { ListDeliveriesQuery } from './list-deliveries.query';
import { ListDeliveriesRequestDto } from './list-deliveries.request.dto';
import { DeliveryPageResponse } from './list-deliveries.response';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class ListDeliveriesHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id/deliveries')
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: "A subscription's deliveries", description: 'Oldest first, each with its attempts and outcomes; `?state=dead` lists the dead letters.' })
  @ApiOkResponse({ type: DeliveryPageResponse })
  @ApiErrors({ 400: ['VALIDATION_FAILED'], 404: ['SUBSCRIPTION_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  list(@Param('id') id: string, @Query() query: ListDeliveriesRequestDto, @Ctx() ctx: RequestContext): Promise<DeliveryPageResponse> {
    return this.queryBus.execute(new ListDeliveriesQuery(id, query, ctx.principal));
  }
}
