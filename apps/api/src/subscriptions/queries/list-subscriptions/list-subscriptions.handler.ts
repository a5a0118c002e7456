import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SUBSCRIPTION_COLUMNS, SubscriptionResponse, SubscriptionRow, subscriptionView } from '../../subscription.view';
import { ListSubscriptionsQuery } from './list-subscriptions.query';

/** The calling key's live subscriptions, oldest first (a key holds at most MAX_SUBSCRIPTIONS_PER_KEY: no paging). */
@QueryHandler(ListSubscriptionsQuery)
export class ListSubscriptionsHandler implements IQueryHandler<ListSubscriptionsQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ principal }: ListSubscriptionsQuery): Promise<{ items: SubscriptionResponse[] }> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE key_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [principal.keyId],
    );
    return { items: rows.map(subscriptionView) };
  }
}
