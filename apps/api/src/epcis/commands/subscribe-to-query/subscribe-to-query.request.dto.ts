import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { IsTargetUrl } from '../../../subscriptions/webhook-url.validator';

/**
 * EPCIS 2.0's QuerySubscriptionRequest (REST binding), for a streaming
 * subscription: each newly recorded event that matches goes to `dest` as it
 * is recorded. The query's parameters come in the URL, as GET /api/epcis/events takes them.
 */
export class SubscribeToQueryRequestDto {
  /** Where each EPCISQueryDocument is POSTed (the same target rules as a webhook's url). */
  @IsTargetUrl('dest', 'https://partner.example.com/epcis/callback')
  dest: string;

  /** The secret each delivery's `webhook-signature` is made with (HMAC-SHA256 over `webhook-id.webhook-timestamp.body`). */
  @ApiProperty({ minLength: 16, maxLength: 256 })
  @IsString()
  @Length(16, 256)
  signatureToken: string;

  /** A stream sends only events: an empty report is never sent, whatever this says. */
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  reportIfEmpty?: boolean;

  /** Only streaming subscriptions are offered (no schedule). */
  @ApiProperty({ enum: [true] })
  @Equals(true, { message: 'stream must be true: only streaming subscriptions are offered' })
  stream: true;

  /** Events recorded from this time on are sent too, not only those recorded after the subscription. */
  @ApiPropertyOptional(apiTimestamp('Also send the matching events recorded since this time'))
  @IsOptional()
  @IsTimestamp()
  initialRecordTime?: string;
}
