import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ownSubscription } from '../../subscription-params';
import { DELIVERY_STATES, SUBSCRIPTION_COLUMNS, SubscriptionRow, subscriptionView } from '../../subscription.view';
import { GetSubscriptionQuery } from './get-subscription.query';
import { SubscriptionWithStatsResponse } from './get-subscription.response';


@QueryHandler(GetSubscriptionQuery)
export class GetSubscriptionHandler implements IQueryHandler<GetSubscriptionQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ id, principal }: GetSubscriptionQuery): Promise<SubscriptionWithStatsResponse> {
    await ownSubscription(this.dataSource.manager, principal, id);
    const [row]: (SubscriptionRow & { replay_done: boolean })[] = await this.dataSource.query(
      `SELECT ${SUBSCRIPTION_COLUMNS}, replay_done FROM webhook_subscriptions WHERE id = $1`,
      [id],
    );
    const counts: { state: string; n: number; last: Date | null }[] = await this.dataSource.query(
      `SELECT state, count(*)::int AS n, max(settled_at) FILTER (WHERE state = 'delivered') AS last FROM webhook_deliveries WHERE subscription_id = $1 GROUP BY state`,
      [id],
    );
    const stats = Object.fromEntries(DELIVERY_STATES.map((s) => [s, counts.find((c) => c.state === s)?.n ?? 0])) as Record<(typeof DELIVERY_STATES)[number], number>;
    const last = counts.find((c) => c.state === 'delivered')?.last ?? null;
    return { ...subscriptionView(row), deliveries: { ...stats, lastDeliveredAt: last?.toISOString() ?? null }, replayDone: row.replay_done };
  }
}
