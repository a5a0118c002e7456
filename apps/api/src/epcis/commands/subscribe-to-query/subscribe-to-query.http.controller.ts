import { Body, Controller, Delete, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, BODY_ERRORS } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { DeleteSubscriptionCommand } from '../../../subscriptions/commands/delete-subscription/delete-subscription.command';
import { SUBSCRIBERS } from '../../../subscriptions/subscription-access';
import { epcisFiltersOf } from '../../epcis-filters';
import { EpcisEventFiltersDto } from '../../epcis-filters.request.dto';
import { SubscribeToQueryCommand } from './subscribe-to-query.command';
import { SubscribeToQueryRequestDto } from './subscribe-to-query.request.dto';
import { QuerySubscriptionResponse } from './subscribe-to-query.response';

const SUBSCRIPTIONS = 'queries/SimpleEventQuery/subscriptions';

/** EPCIS 2.0 query subscriptions (REST binding), streaming only. */
@ApiTags('epcis')
@Controller('epcis')
export class SubscribeToQueryHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(SUBSCRIPTIONS)
  @HttpCode(201)
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({
    summary: 'Subscribe to SimpleEventQuery (stream)',
    description:
      'Each newly recorded event that passes the query (its parameters in the URL, as GET /api/epcis/events takes them) is POSTed to `dest` as an EPCISQueryDocument naming the subscription, signed with `signatureToken` as webhooks are. An operator receives the events of lots that came near its facilities.',
  })
  @ApiCreatedResponse({ type: QuerySubscriptionResponse })
  @ApiErrors(BODY_ERRORS, { 422: ['WEBHOOK_URL_NOT_ALLOWED', 'TOO_MANY_SUBSCRIPTIONS'], 503: ['DATABASE_UNAVAILABLE'] })
  async subscribe(@Query() q: EpcisEventFiltersDto, @Body() body: SubscribeToQueryRequestDto, @Ctx() ctx: RequestContext, @Res({ passthrough: true }) res: FastifyReply): Promise<QuerySubscriptionResponse> {
    const created: QuerySubscriptionResponse = await this.commandBus.execute(new SubscribeToQueryCommand(body, epcisFiltersOf(q), ctx));
    res.header('Location', `/api/epcis/${SUBSCRIPTIONS}/${created.subscriptionID}`);
    return created;
  }

  @Delete(`${SUBSCRIPTIONS}/:subscriptionID`)
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'End a query subscription', description: 'As DELETE /api/subscriptions/{id}.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, deletedAt: { type: 'string', format: 'date-time' } } } })
  @ApiErrors({ 404: ['SUBSCRIPTION_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  unsubscribe(@Param('subscriptionID') id: string, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new DeleteSubscriptionCommand(id, ctx));
  }
}
