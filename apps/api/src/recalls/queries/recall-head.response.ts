import { ApiProperty } from '@nestjs/swagger';
import type { RecallSource } from '@app/domain';

/** What names a recall, in a recall's page and in the list of recalls alike. */
export interface RecallHead {
  recallId: string;
  origin: string;
  reason: string;
  source: RecallSource;
  recalledAt: string;
  /** Every lot the recall reached. */
  lotCount: number;
}

export class RecallHeadResponse implements RecallHead {
  @ApiProperty()
  recallId: string;

  @ApiProperty({ description: 'The lot the recall started from' })
  origin: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ enum: ['REGULATOR', 'POSITIVE_TEST'] })
  source: RecallSource;

  @ApiProperty({ format: 'date-time' })
  recalledAt: string;

  @ApiProperty({ description: 'Every lot the recall reached' })
  lotCount: number;
}
