import { ApiProperty } from '@nestjs/swagger';
import { BlockingReasonResponse } from '../../lot-parts.response';
import type { SaleEligibilityView } from './get-sale-eligibility.query';

export class SaleEligibilityResponse implements SaleEligibilityView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  allowed: boolean;

  @ApiProperty({ type: () => [BlockingReasonResponse], description: 'Every reason it may not be sold; empty when allowed' })
  reasons: BlockingReasonResponse[];

  @ApiProperty({ description: 'Global position of the last event of this lot the answer includes' })
  position: number;

  @ApiProperty()
  version: number;

  @ApiProperty({ format: 'date-time', description: 'Judged at the time of the request (certificates expire)' })
  evaluatedAt: string;
}
