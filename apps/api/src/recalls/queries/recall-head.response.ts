import { ApiProperty } from '@nestjs/swagger';
import type { RecallRecord } from '@app/domain';
import { RecallRecordResponse } from '../../lots/queries/get-lot/get-lot.response';

/** What names a recall, in a recall's page and in the list of recalls alike: the record a lot keeps of it, and how many lots it reached. */
export interface RecallHead extends RecallRecord {
  /** Every lot the recall reached. */
  lotCount: number;
}

export class RecallHeadResponse extends RecallRecordResponse implements RecallHead {
  @ApiProperty({ description: 'Every lot the recall reached' })
  lotCount: number;
}
