import { ApiProperty } from '@nestjs/swagger';
import type { SplitLotResult } from './split-lot.command';

export class SplitChildResponse {
  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  quantity: number;

  @ApiProperty({ description: "The child's stream version" })
  version: number;
}

export class SplitLotResponse implements SplitLotResult {
  @ApiProperty()
  splitId: string;

  @ApiProperty({ description: 'The parent lot' })
  traceCode: string;

  @ApiProperty({ description: "The parent's remaining quantity after the split" })
  remaining: number;

  @ApiProperty({ type: () => [SplitChildResponse] })
  children: SplitChildResponse[];

  @ApiProperty()
  position: number;
}
