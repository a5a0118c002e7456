import { ApiProperty } from '@nestjs/swagger';
import { HISTORY_ORDERS, type HistoryOrder } from './get-lot-history.request.dto';
import type { LotHistoryEntryView, LotHistoryView } from './get-lot-history.query';

export class EventActorResponse {
  @ApiProperty({ type: 'string', nullable: true, description: 'null for events from before credentials existed' })
  keyId: string | null;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: 'string', nullable: true })
  role: string | null;
}

export class LotHistoryEntryResponse implements LotHistoryEntryView {
  @ApiProperty()
  version: number;

  @ApiProperty()
  position: number;

  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty({ example: 'LotRegistered' })
  type: string;

  @ApiProperty()
  schemaVersion: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ type: 'string', nullable: true })
  facilityId: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  scanId: string | null;

  @ApiProperty({ type: () => EventActorResponse, nullable: true, description: 'The key that wrote the event' })
  actor: EventActorResponse | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data, as its type and schema version define it" })
  data: unknown;

  @ApiProperty({ type: 'string', nullable: true, description: "The event's chain hash (SHA-256, hex)" })
  hash: string | null;

  @ApiProperty({ type: 'string', nullable: true, pattern: '^[0-9a-f]{16}$', description: 'The key that signed the hash (GET /api/audit/keys)' })
  signingKeyId: string | null;

  @ApiProperty({ type: 'string', nullable: true, pattern: '^[0-9a-f]{128}$', description: 'Ed25519 signature over the 32 bytes of `hash`, hex' })
  signature: string | null;
}

export class LotHistoryResponse implements LotHistoryView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ enum: HISTORY_ORDERS })
  order: HistoryOrder;

  @ApiProperty({ type: () => [LotHistoryEntryResponse] })
  events: LotHistoryEntryResponse[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page (same `order`); null on the last one' })
  nextCursor: string | null;
}
