import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class QuerySubscriptionResponse {
  @ApiProperty({ format: 'uuid', description: 'Names the subscription in each document it is sent (queryResults.subscriptionID)' })
  subscriptionID: string;

  @ApiProperty({ example: 'SimpleEventQuery' })
  queryName: string;

  @ApiProperty()
  dest: string;

  @ApiProperty({ enum: [true] })
  stream: true;

  @ApiProperty()
  reportIfEmpty: boolean;

  @ApiPropertyOptional({ format: 'date-time', nullable: true })
  initialRecordTime: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
