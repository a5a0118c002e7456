import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DELIVERY_STATES } from '../../subscription.view';

export class DeliveryAttemptResponse {
  @ApiProperty() attempt: number;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty() durationMs: number;
  @ApiPropertyOptional({ nullable: true, description: "The receiver's status; null when it gave none" }) status: number | null;
  @ApiPropertyOptional({ nullable: true }) error: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The first kilobyte of its answer' }) responseBody: string | null;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The `webhook-id` header: the same on every attempt' }) webhookId: string;
  @ApiProperty() type: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state: string;
  @ApiPropertyOptional({ nullable: true }) traceCode: string | null;
  @ApiPropertyOptional({ nullable: true }) facilityId: string | null;
  @ApiProperty({ description: 'The global position of the event it tells of' }) position: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, description: 'While pending: when it is tried next' }) nextAttemptAt: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true }) settledAt: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The body sent: {type, timestamp, data}' }) body: unknown;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attempts: DeliveryAttemptResponse[];
}

export class DeliveryPageResponse {
  @ApiProperty({ type: [DeliveryResponse] }) items: DeliveryResponse[];
  @ApiPropertyOptional({ nullable: true }) nextCursor: string | null;
}
