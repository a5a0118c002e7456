import { ApiProperty } from '@nestjs/swagger';
import { RecallHeadResponse } from '../recall-head.response';
import { QUANTITY_UNITS, type QuantityUnit } from '@app/domain';
import type { Page } from '../../../common/queries/page';
import type { RecallSummaryView, UnsoldQuantity } from './list-recalls.query';

export class UnsoldQuantityResponse implements UnsoldQuantity {
  @ApiProperty({ enum: QUANTITY_UNITS })
  unit: QuantityUnit;

  @ApiProperty()
  quantity: number;
}

export class RecallSummaryResponse extends RecallHeadResponse implements RecallSummaryView {
  @ApiProperty({ description: 'Lots it reached that still hold goods not sold (not destroyed, some remaining)' })
  unsoldLots: number;

  @ApiProperty({ type: () => [UnsoldQuantityResponse], description: 'What those lots hold, per unit' })
  unsold: UnsoldQuantityResponse[];

  @ApiProperty({ description: 'unsoldLots > 0' })
  inProgress: boolean;

  @ApiProperty({ description: 'Lots held by a facility when recalled' })
  holders: number;

  @ApiProperty({ description: "Of those, the lots whose holder was told: a lot.recalled webhook delivered to one of the holder's own subscriptions (GET /api/recalls/:id lots[].told.delivered > 0)" })
  told: number;
}

export class ListRecallsResponse implements Page<RecallSummaryView> {
  @ApiProperty({ type: () => [RecallSummaryResponse], description: 'Newest first' })
  items: RecallSummaryResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
