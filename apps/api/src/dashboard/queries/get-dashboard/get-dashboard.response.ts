import { ApiProperty } from '@nestjs/swagger';
import { REASON_CODES, type ReasonCode } from '@app/domain';
import { UnsoldQuantityResponse } from '../../../recalls/queries/list-recalls/list-recalls.response';
import type { Counted, DashboardView } from './get-dashboard.query';

export class CountedResponse implements Counted {
  @ApiProperty()
  count: number;

  @ApiProperty({ description: 'The list it counts: GET this path (every page) and count the items' })
  list: string;
}

export class ReasonCountResponse extends CountedResponse {
  @ApiProperty({ enum: REASON_CODES })
  reason: ReasonCode;
}

export class LotsNotSellableResponse extends CountedResponse {
  @ApiProperty({ type: () => [ReasonCountResponse], description: 'Every reason code, in the policy\'s order; a lot blocked for two reasons counts under each' })
  byReason: ReasonCountResponse[];
}

export class RecallsInProgressResponse extends CountedResponse {
  @ApiProperty({ type: () => [UnsoldQuantityResponse], description: 'Goods not sold, per unit, summed over the list' })
  unsold: UnsoldQuantityResponse[];

  @ApiProperty({ description: 'Lots held by a facility when recalled, summed over the list' })
  holders: number;

  @ApiProperty({ description: 'Of those, the lots whose holder was told by webhook, summed over the list' })
  told: number;
}

export class DashboardResponse implements DashboardView {
  @ApiProperty({ format: 'date-time', description: 'When it was counted; the last hour is the hour before' })
  at: string;

  @ApiProperty({ type: () => LotsNotSellableResponse })
  lotsNotSellable: LotsNotSellableResponse;

  @ApiProperty({ type: () => CountedResponse })
  openViolations: CountedResponse;

  @ApiProperty({ type: () => RecallsInProgressResponse })
  recallsInProgress: RecallsInProgressResponse;

  @ApiProperty({ type: () => CountedResponse, description: 'Scans recorded in the last hour' })
  scans: CountedResponse;

  @ApiProperty({ type: () => CountedResponse, description: 'Scans refused in the last hour' })
  refusals: CountedResponse;
}
