import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SubscriptionResponse } from '../../subscription.view';

export class CreatedSubscriptionResponse extends SubscriptionResponse {
  /** Verifies each delivery's `webhook-signature`; shown in this answer only. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Verifies `webhook-signature`; shown here only' })
  secret: string;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'The replay asked for: what happened after this position is sent too' })
  since: number | null;
}
