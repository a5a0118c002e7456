import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../../common/queries/page';
import { TraceViolationResponse } from '../get-lot/get-lot.response';
import type { LotViolationView } from './list-violations.query';

export class LotViolationResponse extends TraceViolationResponse implements LotViolationView {
  @ApiProperty({ description: 'The lot it blocks (or blocked)' })
  traceCode: string;
}

export class ListViolationsResponse implements Page<LotViolationView> {
  @ApiProperty({ type: () => [LotViolationResponse], description: 'In trace-code order, then by violation id' })
  items: LotViolationResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
