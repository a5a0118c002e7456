import { Controller, Delete, Inject, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../../../access/route-policy';
import { ApiErrors } from '../../../common/http/api-error.response';
import { Ctx, type RequestContext } from '../../../common/http/request-context';
import { SUBSCRIBERS } from '../../subscription-access';
import { DeleteSubscriptionCommand } from './delete-subscription.command';

@ApiTags('subscriptions')
@Controller('subscriptions')
export class DeleteSubscriptionHttpController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Delete(':id')
  @Allow(SUBSCRIBERS, { operatorScope: 'unrestricted' })
  @ApiOperation({ summary: 'End a subscription', description: 'What was still to be sent is dropped; its deliveries stay on record.' })
  @ApiOkResponse({ schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, deletedAt: { type: 'string', format: 'date-time' } } } })
  @ApiErrors({ 404: ['SUBSCRIPTION_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] })
  delete(@Param('id') id: string, @Ctx() ctx: RequestContext) {
    return this.commandBus.execute(new DeleteSubscriptionCommand(id, ctx));
  }
}
