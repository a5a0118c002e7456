import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { forbiddenRoute } from '../../../common/http/api-errors';
import { SubscriptionMaker } from '../../subscription-maker';
import { subscriptionView } from '../../subscription.view';
import { newWebhookSecret } from '../../webhook-signature';
import { CreateSubscriptionCommand } from './create-subscription.command';
import { CreatedSubscriptionResponse } from './create-subscription.response';

/** A webhook subscription of the calling key; an OPERATOR's facility filter names only facilities of its own. */
@CommandHandler(CreateSubscriptionCommand)
export class CreateSubscriptionHandler implements ICommandHandler<CreateSubscriptionCommand> {
  constructor(@Inject(SubscriptionMaker) private readonly maker: SubscriptionMaker) {}

  async execute({ request, context }: CreateSubscriptionCommand): Promise<CreatedSubscriptionResponse> {
    const principal = context.principal;
    if (principal.role === 'OPERATOR') {
      const foreign = (request.facilityIds ?? []).filter((f) => !principal.facilityIds.includes(f));
      if (foreign.length > 0) throw forbiddenRoute(`this key does not work at ${foreign.join(', ')}`, { field: 'facilityIds', facilityIds: foreign });
    }
    const secret = newWebhookSecret();
    const since = request.since ?? null;
    const row = await this.maker.make(principal, {
      kind: 'webhook',
      url: request.url,
      events: request.events,
      facilityIds: request.facilityIds ?? null,
      query: request.query ? { ...request.query } : null,
      secret,
      since,
    });
    return { ...subscriptionView(row), secret, since };
  }
}
