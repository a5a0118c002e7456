import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { NOTIFICATION_KINDS, type NotificationKind } from '@app/domain';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { IsTargetUrl } from '../../webhook-url.validator';

/** Narrows a webhook subscription beyond its kinds and facilities. */
export class SubscriptionQueryDto {
  /** Only notifications about these lots. */
  @ApiPropertyOptional({ type: 'array', items: apiId(), minItems: 1, maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true, message: `each of query.traceCodes ${ID_RULE}` })
  traceCodes?: string[];
}

export class CreateSubscriptionRequestDto {
  /** Where deliveries are POSTed: https (http only with WEBHOOK_ALLOW_HTTP), never this host or a private network unless WEBHOOK_ALLOW_PRIVATE lists it. */
  @IsTargetUrl('url', 'https://store.example.com/coldtrace/webhooks')
  url: string;

  @ApiProperty({ type: [String], enum: NOTIFICATION_KINDS, minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(NOTIFICATION_KINDS, { each: true })
  events: NotificationKind[];

  /** Only what concerns these facilities (for an OPERATOR, some of its own). */
  @ApiPropertyOptional({ type: 'array', items: apiId(), minItems: 1, maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(ID_PATTERN, { each: true, message: `each of facilityIds ${ID_RULE}` })
  facilityIds?: string[];

  @ApiPropertyOptional({ type: SubscriptionQueryDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionQueryDto)
  query?: SubscriptionQueryDto;

  /** Replay: also send what happened after this global position (an event's `position`), before the subscription was made. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  since?: number;
}
