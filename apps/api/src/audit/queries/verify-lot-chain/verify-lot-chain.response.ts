import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LotChainView } from './verify-lot-chain.query';

export class LotChainResponse implements LotChainView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ description: 'Every stored hash matches the one re-computed from the stored event, versions run 1..n, and the stream row agrees' })
  valid: boolean;

  @ApiProperty({ description: "Events found in the lot's stream" })
  events: number;

  @ApiProperty({ type: 'string', nullable: true, description: "The stored hash of the lot's last event" })
  headHash: string | null;

  @ApiPropertyOptional({ description: 'The first version that does not hold; absent when valid' })
  firstInvalidVersion?: number;
}
