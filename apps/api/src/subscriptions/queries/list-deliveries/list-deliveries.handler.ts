import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { pageOf, pageRequest } from '../../../common/queries/page';
import { ownSubscription } from '../../subscription-params';
import { UUID } from '../../subscription.view';
import { ListDeliveriesQuery } from './list-deliveries.query';
import { DeliveryPageResponse } from './list-deliveries.response';

/** A page's last delivery: when it was made, and its id (ties). */
type Key = [string, string];
const isKey = (v: unknown): v is Key => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && UUID.test(v[1]);

interface Row {
  id: string;
  webhook_id: string;
  type: string;
  state: string;
  trace_code: string | null;
  facility_id: string | null;
  event_position: string;
  created_at: Date;
  /** created_at to the microsecond, for the cursor (a Date keeps milliseconds). */
  created_key: string;
  next_attempt_at: Date;
  settled_at: Date | null;
  body: unknown;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number;
  status: number | null;
  error: string | null;
  response_body: string | null;
}

/** A subscription's deliveries, oldest first, each with its attempts. */
@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(@InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute({ subscriptionId, request, principal }: ListDeliveriesQuery): Promise<DeliveryPageResponse> {
    await ownSubscription(this.dataSource.manager, principal, subscriptionId);
    const page = pageRequest<Key>(request, 100, isKey);
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, webhook_id, type, state, trace_code, facility_id, event_position, created_at, created_at::text AS created_key, next_attempt_at, settled_at, body
         FROM webhook_deliveries
        WHERE subscription_id = $1 AND ($2::text IS NULL OR state = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY created_at, id
        LIMIT $5`,
      [subscriptionId, request.state ?? null, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    );
    const shown = rows.slice(0, page.limit);
    const attempts: AttemptRow[] = shown.length
      ? await this.dataSource.query(`SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, attempt`, [shown.map((r) => r.id)])
      : [];
    const { items, nextCursor } = pageOf(rows, page, (r): Key => [r.created_key, r.id]);
    return {
      items: items.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        type: r.type,
        state: r.state,
        traceCode: r.trace_code,
        facilityId: r.facility_id,
        position: Number(r.event_position),
        createdAt: r.created_at.toISOString(),
        nextAttemptAt: r.state === 'pending' ? r.next_attempt_at.toISOString() : null,
        settledAt: r.settled_at?.toISOString() ?? null,
        body: r.body,
        attempts: attempts
          .filter((a) => a.delivery_id === r.id)
          .map((a) => ({
            attempt: a.attempt,
            startedAt: a.started_at.toISOString(),
            durationMs: a.duration_ms,
            status: a.status,
            error: a.error,
            responseBody: a.response_body,
          })),
      })),
      nextCursor,
    };
  }
}
