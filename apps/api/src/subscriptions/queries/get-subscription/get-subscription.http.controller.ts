import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { GetSubscriptionQuery } from './get-subscription.query';
import { SubscriptionWithStatsResponse } from './get-subscription.response';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class GetSubscriptionHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id')
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'One subscription, with its delivery counts' })
  @ApiOkResponse({ type: SubscriptionWithStatsResponse })
  @ApiErrors({ 404: ['SUBSCRIPTION_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<SubscriptionWithStatsResponse> {
    return this.queryBus.execute(new GetSubscriptionQuery(id, ctx.principal));
  }
}
