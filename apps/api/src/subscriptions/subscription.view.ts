import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NOTIFICATION_KINDS } from '@app/domain';
import { ApiError } from '../common/http/api-errors';

/** Where a delivery stands (webhook_deliveries.state). */
export const DELIVERY_STATES = ['pending', 'sending', 'delivered', 'failed', 'dead', 'dropped'] as const;

/** A subscription as its key sees it; its secret never again after the answer that made it. */
export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['webhook', 'epcis'] })
  kind: 'webhook' | 'epcis';

  @ApiProperty({ description: 'Where deliveries are POSTed' })
  url: string;

  @ApiProperty({ type: [String], enum: NOTIFICATION_KINDS })
  events: string[];

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Only what concerns these facilities' })
  facilityIds: string[] | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  query: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export interface SubscriptionRow {
  id: string;
  kind: 'webhook' | 'epcis';
  url: string;
  events: string[];
  facility_ids: string[] | null;
  query: Record<string, unknown> | null;
  created_at: Date;
}

export const SUBSCRIPTION_COLUMNS = `id, kind, url, events, facility_ids, query, created_at`;

export const subscriptionView = (r: SubscriptionRow): SubscriptionResponse => ({
  id: r.id,
  kind: r.kind,
  url: r.url,
  events: [...r.events],
  facilityIds: r.facility_ids,
  query: r.query,
  createdAt: r.created_at.toISOString(),
});

/** Not one of this key's subscriptions (another key's is answered the same: no key learns of another's). */
export const subscriptionNotFound = (id: string) => new ApiError(404, 'SUBSCRIPTION_NOT_FOUND', `no subscription ${id} of this key`, { subscriptionId: id });

/** A uuid, as Postgres takes it: anything else is no subscription of anyone's. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SubscriptionListResponse {
  @ApiProperty({ type: [SubscriptionResponse] })
  items: SubscriptionResponse[];
}
