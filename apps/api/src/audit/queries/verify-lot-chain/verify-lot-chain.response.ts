import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ChainFailure } from '@app/event-store';
import type { LotChainView } from './verify-lot-chain.query';

/** Every ChainFailure, for the document. */
export const CHAIN_FAILURES: ChainFailure[] = ['VERSION_MISSING', 'HASH_MISMATCH', 'STREAM_ROW_MISMATCH', 'UNSIGNED', 'UNKNOWN_SIGNING_KEY', 'BAD_SIGNATURE', 'READINGS_MISSING', 'READINGS_MISMATCH', 'READINGS_UNRECORDED'];

export class LotChainResponse implements LotChainView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({
    description:
      "Every stored hash matches the one re-computed from the stored event, versions run 1..n, the stream row agrees, every event is signed by an accepted key, and every upload's stored readings hash to its event's digest",
  })
  valid: boolean;

  @ApiProperty({ description: "Events found in the lot's stream" })
  events: number;

  @ApiProperty({ type: 'string', nullable: true, description: "The stored hash of the lot's last event" })
  headHash: string | null;

  @ApiPropertyOptional({ description: 'The first version that does not hold; absent when valid' })
  firstInvalidVersion?: number;

  @ApiPropertyOptional({
    enum: CHAIN_FAILURES,
    description:
      'What does not hold there: a version missing, a stored hash not re-computed from the data, the stream row disagreeing with its last event, ' +
      'no signature, a signature by a key not published at GET /api/audit/keys, or one that does not hold over the hash, ' +
      "an upload's readings missing, or not the ones its TemperaturesRecorded event records (count, digest)",
  })
  reason?: ChainFailure;

  @ApiPropertyOptional({ description: 'The upload whose stored readings do not hold against its event (READINGS_* only)' })
  uploadId?: string;
}
