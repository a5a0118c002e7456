import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../../../common/http/api-errors';
import { ownSubscription } from '../../subscription-params';
import { UUID } from '../../subscription.view';
import { WebhookWorkers } from '../../webhook-workers';
import { RetryDeliveryCommand } from './retry-delivery.command';

const deliveryNotFound = (id: string) => new ApiError(404, 'DELIVERY_NOT_FOUND', `no delivery ${id} of this subscription`, { deliveryId: id });

/**
 * Sends a dead-lettered (or refused) delivery again, now, with a fresh retry
 * window: the receiver is back, or was fixed. Its attempts keep counting.
 */
@CommandHandler(RetryDeliveryCommand)
export class RetryDeliveryHandler implements ICommandHandler<RetryDeliveryCommand> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(WebhookWorkers) private readonly workers: WebhookWorkers,
  ) {}

  async execute({ subscriptionId, deliveryId, context }: RetryDeliveryCommand): Promise<{ id: string; state: string }> {
    const state = await this.dataSource.transaction(async (m) => {
      await ownSubscription(m, context.principal, subscriptionId);
      if (!UUID.test(deliveryId)) throw deliveryNotFound(deliveryId);
      const [found]: { state: string }[] = await m.query(`SELECT state FROM webhook_deliveries WHERE id = $1 AND subscription_id = $2 FOR UPDATE`, [deliveryId, subscriptionId]);
      if (!found) throw deliveryNotFound(deliveryId);
      if (found.state !== 'dead' && found.state !== 'failed') {
        throw new ApiError(409, 'DELIVERY_NOT_RETRYABLE', `delivery ${deliveryId} is ${found.state}: only a dead or failed one is sent again by hand`, { deliveryId, state: found.state });
      }
      await m.query(
        `UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = now(), retry_from = now(), attempts_at_retry = attempts, settled_at = NULL WHERE id = $1`,
        [deliveryId],
      );
      return 'pending';
    });
    this.workers.dispatcher.wake();
    return { id: deliveryId, state };
  }
}
