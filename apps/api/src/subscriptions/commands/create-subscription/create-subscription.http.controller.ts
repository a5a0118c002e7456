import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors, BODY_ERRORS } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { CreateSubscriptionCommand } from './create-subscription.command';
import { CreateSubscriptionRequestDto } from './create-subscription.request.dto';
import { CreatedSubscriptionResponse } from './create-subscription.response';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class CreateSubscriptionHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({
    summary: 'Subscribe to webhooks',
    description:
      'Deliveries of the kinds named, signed as Standard Webhooks asks, for what this key may be told of (an OPERATOR: what concerns its own facilities). The secret is in this answer only.',
  })
  @ApiCreatedResponse({ type: CreatedSubscriptionResponse })
  @ApiErrors(BODY_ERRORS, { 422: ['WEBHOOK_URL_NOT_ALLOWED', 'TOO_MANY_SUBSCRIPTIONS'], 503: ['DATABASE_UNAVAILABLE'] })
  create(@Body() body: CreateSubscriptionRequestDto, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new CreateSubscriptionCommand(body, ctx));
  }
}
