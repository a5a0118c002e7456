import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One projection's (or the relay's) progress. */
export class WorkerHealthResponse {
  @ApiProperty({ description: 'The global position it has processed' })
  checkpoint: number;

  @ApiProperty()
  running: boolean;

  @ApiProperty({ type: 'string', nullable: true })
  lastError: string | null;
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';

  @ApiProperty({ enum: ['embedded', 'kafka'] })
  mode: 'embedded' | 'kafka';

  @ApiProperty({ enum: ['up', 'down'] })
  database: 'up' | 'down';

  @ApiProperty({ description: "The event log's head" })
  headPosition: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(WorkerHealthResponse) },
    description: 'Embedded mode: each projection by name',
  })
  projections?: Record<string, WorkerHealthResponse>;

  @ApiPropertyOptional({ type: () => WorkerHealthResponse, description: 'Kafka mode: the outbox relay' })
  relay?: WorkerHealthResponse;

  @ApiPropertyOptional({ description: 'Kafka mode: the topic the relay publishes to' })
  topic?: string;
}

export class LiveResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

export class ReadyResponse {
  @ApiProperty({ enum: ['ok'] })
  status: string;

  @ApiProperty({ enum: ['embedded', 'kafka'] })
  mode: 'embedded' | 'kafka';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up'] } }, additionalProperties: true },
    description: "Each part by name (`database`, `projection:<name>`, `broker`, `relay`) with its state",
  })
  checks: Record<string, unknown>;
}
