import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { SubscriptionListResponse, SubscriptionResponse } from '../../subscription.view';
import { ListSubscriptionsQuery } from './list-subscriptions.query';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class ListSubscriptionsHttpController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: "This key's subscriptions" })
  @ApiOkResponse({ type: SubscriptionListResponse })
  @ApiErrors({ 503: ['DATABASE_UNAVAILABLE'] })
  list(@Ctx() ctx: RequestContext): Promise<{ items: SubscriptionResponse[] }> {
    return this.queryBus.execute(new ListSubscriptionsQuery(ctx.principal));
  }
}
