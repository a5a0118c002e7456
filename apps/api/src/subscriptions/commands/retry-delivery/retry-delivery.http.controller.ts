import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { RetryDeliveryCommand } from './retry-delivery.command';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class RetryDeliveryHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'Send a dead delivery again', description: 'A dead-lettered or refused delivery is sent now, with a fresh retry window.' })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, state: { type: 'string', enum: ['pending'] } } } })
  @ApiErrors({ 404: ['SUBSCRIPTION_NOT_FOUND', 'DELIVERY_NOT_FOUND'], 409: ['DELIVERY_NOT_RETRYABLE'], 503: ['DATABASE_UNAVAILABLE'] })
  retry(@Param('id') id: string, @Param('deliveryId') deliveryId: string, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new RetryDeliveryCommand(id, deliveryId, ctx));
  }
}
