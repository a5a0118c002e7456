import { ApiProperty } from '@nestjs/swagger';
import type { MergeLotsResult } from './merge-lots.command';

export class MergedParentResponse {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ description: 'Taken from this parent' })
  quantity: number;

  @ApiProperty({ description: "The parent's remaining quantity after the merge" })
  remaining: number;
}

export class MergeLotsResponse implements MergeLotsResult {
  @ApiProperty()
  mergeId: string;

  @ApiProperty({ description: 'The new lot' })
  traceCode: string;

  @ApiProperty({ description: "The new lot's quantity (the sum of the portions)" })
  quantity: number;

  @ApiProperty({ type: () => [MergedParentResponse] })
  parents: MergedParentResponse[];

  @ApiProperty()
  position: number;
}
