import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SubscriptionResponse } from '../../subscription.view';

/** How many of its deliveries stand where. */
export class DeliveryStatsResponse {
  @ApiProperty() pending: number;
  @ApiProperty({ description: 'An attempt in flight' }) sending: number;
  @ApiProperty() delivered: number;
  @ApiProperty({ description: 'Refused by the receiver (a 4xx other than 408 and 429) or its address: not retried' }) failed: number;
  @ApiProperty({ description: 'Retried for the whole retry window without success: dead-lettered' }) dead: number;
  @ApiProperty({ description: 'Not sent: the subscription ended, or its key was revoked or may no longer be told' }) dropped: number;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) lastDeliveredAt: string | null;
}

export class SubscriptionWithStatsResponse extends SubscriptionResponse {
  @ApiProperty({ type: DeliveryStatsResponse })
  deliveries: DeliveryStatsResponse;

  @ApiProperty({ description: 'Whether the replay asked for (`since`) has been fanned out in full' })
  replayDone: boolean;
}
