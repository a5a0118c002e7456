import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SubscriptionMaker } from '../../../subscriptions/subscription-maker';
import type { EpcisSubscriptionQuery } from '../../../subscriptions/webhook-fan-out';
import { SIMPLE_EVENT_QUERY } from '../../epcis-query-document';
import { SubscribeToQueryCommand } from './subscribe-to-query.command';
import { QuerySubscriptionResponse } from './subscribe-to-query.response';

/**
 * A streaming EPCIS query subscription of the calling key: the same
 * subscriptions, fan-out and deliveries as webhooks, its events the export's
 * own, in its scope (an operator: lots that came near its facilities).
 */
@CommandHandler(SubscribeToQueryCommand)
export class SubscribeToQueryHandler implements ICommandHandler<SubscribeToQueryCommand> {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(SubscriptionMaker) private readonly maker: SubscriptionMaker,
  ) {}

  async execute({ request, filters, context }: SubscribeToQueryCommand): Promise<QuerySubscriptionResponse> {
    const initial = request.initialRecordTime === undefined ? null : new Date(request.initialRecordTime);
    const query: EpcisSubscriptionQuery = { queryName: SIMPLE_EVENT_QUERY, filters, reportIfEmpty: request.reportIfEmpty ?? false };
    const row = await this.maker.make(
      context.principal,
      { kind: 'epcis', url: request.dest, events: [], facilityIds: null, query: { ...query }, secret: request.signatureToken, since: initial === null ? null : await this.lastBefore(initial) },
      'dest',
    );
    return {
      subscriptionID: row.id,
      queryName: SIMPLE_EVENT_QUERY,
      dest: row.url,
      stream: true,
      reportIfEmpty: query.reportIfEmpty,
      initialRecordTime: initial?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
    };
  }

  /** The position of the last event recorded before `time` (0: none): read back from the end, where a recent time is found at once. */
  private async lastBefore(time: Date): Promise<number> {
    const [row]: { p: string }[] = await this.dataSource.query(`SELECT global_position AS p FROM events WHERE recorded_at < $1 ORDER BY global_position DESC LIMIT 1`, [time]);
    return row ? Number(row.p) : 0;
  }
}
