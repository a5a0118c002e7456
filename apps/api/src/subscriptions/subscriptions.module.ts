import { Module } from '@nestjs/common';
import { CreateSubscriptionHandler } from './commands/create-subscription/create-subscription.handler';
import { CreateSubscriptionHttpController } from './commands/create-subscription/create-subscription.http.controller';
import { DeleteSubscriptionHandler } from './commands/delete-subscription/delete-subscription.handler';
import { DeleteSubscriptionHttpController } from './commands/delete-subscription/delete-subscription.http.controller';
import { RetryDeliveryHandler } from './commands/retry-delivery/retry-delivery.handler';
import { RetryDeliveryHttpController } from './commands/retry-delivery/retry-delivery.http.controller';
import { GetSubscriptionHandler } from './queries/get-subscription/get-subscription.handler';
import { GetSubscriptionHttpController } from './queries/get-subscription/get-subscription.http.controller';
import { ListDeliveriesHandler } from './queries/list-deliveries/list-deliveries.handler';
import { ListDeliveriesHttpController } from './queries/list-deliveries/list-deliveries.http.controller';
import { ListSubscriptionsHandler } from './queries/list-subscriptions/list-subscriptions.handler';
import { ListSubscriptionsHttpController } from './queries/list-subscriptions/list-subscriptions.http.controller';
import { SubscriptionMaker } from './subscription-maker';
import { WebhookWorkers } from './webhook-workers';

/** Webhook subscriptions (issue 18): what partners are told, and the workers that tell them. */
@Module({
  controllers: [
    CreateSubscriptionHttpController,
    ListSubscriptionsHttpController,
    GetSubscriptionHttpController,
    DeleteSubscriptionHttpController,
    ListDeliveriesHttpController,
    RetryDeliveryHttpController,
  ],
  providers: [WebhookWorkers, SubscriptionMaker, CreateSubscriptionHandler, DeleteSubscriptionHandler, RetryDeliveryHandler, GetSubscriptionHandler, ListSubscriptionsHandler, ListDeliveriesHandler],
  exports: [WebhookWorkers, SubscriptionMaker],
})
export class SubscriptionsModule {}
