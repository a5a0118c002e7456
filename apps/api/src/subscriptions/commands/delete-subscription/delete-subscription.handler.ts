import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ownSubscription } from '../../subscription-params';
import { DeleteSubscriptionCommand } from './delete-subscription.command';

/**
 * Ends a subscription: nothing more is fanned out to it and what was still
 * to be sent is dropped (an attempt in flight finishes). Its deliveries stay
 * on record with it.
 */
@CommandHandler(DeleteSubscriptionCommand)
export class DeleteSubscriptionHandler implements ICommandHandler<DeleteSubscriptionCommand> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ id, context }: DeleteSubscriptionCommand): Promise<{ id: string; deletedAt: string }> {
    return this.dataSource.transaction(async (m) => {
      await ownSubscription(m, context.principal, id, true);
      const [[row]]: [{ deleted_at: Date }[], number] = await m.query(
        `UPDATE webhook_subscriptions SET deleted_at = now(), deleted_by = $2 WHERE id = $1 RETURNING deleted_at`,
        [id, context.principal.keyId],
      );
      await m.query(
        `UPDATE webhook_deliveries SET state = 'dropped', last_error = 'the subscription was deleted', settled_at = now() WHERE subscription_id = $1 AND state = 'pending'`,
        [id],
      );
      return { id, deletedAt: row.deleted_at.toISOString() };
    });
  }
}
