import { ApiProperty } from '@nestjs/swagger';
import type { ChainFailure } from '@app/event-store';
import { CHAIN_FAILURES } from '../verify-lot-chain/verify-lot-chain.response';
import type { InvalidStreamView, LogDigestCheckView } from './verify-log-digest.query';

export class InvalidStreamResponse implements InvalidStreamView {
  @ApiProperty()
  streamId: string;

  @ApiProperty()
  firstInvalidVersion: number;

  @ApiProperty({ enum: CHAIN_FAILURES })
  reason: ChainFailure;
}

export class LogDigestCheckResponse implements LogDigestCheckView {
  @ApiProperty()
  position: number;

  @ApiProperty({ description: "Today's log, re-hashed from its events' data up to `position`, yields the digest kept" })
  consistent: boolean;

  @ApiProperty({ type: 'string', nullable: true, description: "The digest re-computed from today's log; null when the log no longer reaches that position" })
  digest: string | null;

  @ApiProperty({ description: 'Every event at or below the position is chained and signed by a key published at GET /api/audit/keys' })
  valid: boolean;

  @ApiProperty({ description: 'Streams checked' })
  streams: number;

  @ApiProperty({ description: 'Events checked' })
  events: number;

  @ApiProperty({ type: [InvalidStreamResponse], description: 'The first streams that fail (at most 100), in stream id byte order' })
  invalid: InvalidStreamResponse[];

  @ApiProperty({ description: 'How many streams fail in all' })
  invalidStreams: number;
}
