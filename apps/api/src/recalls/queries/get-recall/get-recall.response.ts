import { ApiProperty } from '@nestjs/swagger';
import { RecallHeadResponse } from '../recall-head.response';
import type { LotStatus } from '@app/domain';
import { CustodyResponse, LOT_STATUSES, TransitResponse } from '../../../lots/lot-parts.response';
import type { RecallTold, RecallView } from './get-recall.query';

type RecalledLot = RecallView['lots'][number];

export class RecallToldResponse implements RecallTold {
  @ApiProperty({ description: "`lot.recalled` deliveries made: one per subscription of the holder's own keys (OPERATOR keys of that facility) that wants it" })
  subscribers: number;

  @ApiProperty()
  delivered: number;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When the first of them was delivered' })
  firstDeliveredAt: string | null;

  @ApiProperty({ description: 'Still being tried' })
  pending: number;

  @ApiProperty({ description: 'Refused by the receiver, or given up on (dead); the rest of `subscribers` were dropped (the subscription deleted or its key revoked before they went)' })
  failed: number;
}

export class RecalledLotResponse implements RecalledLot {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ format: 'date-time' })
  recalledAt: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The facility holding it when recalled' })
  holderWhenRecalled: string | null;

  @ApiProperty({ type: () => CustodyResponse, nullable: true, description: 'Where it is now' })
  holder: CustodyResponse | null;

  @ApiProperty({ type: () => TransitResponse, nullable: true })
  inTransit: TransitResponse | null;

  @ApiProperty({ type: 'number', nullable: true })
  remaining: number | null;

  @ApiProperty({ enum: LOT_STATUSES, nullable: true })
  status: LotStatus | null;

  @ApiProperty({
    type: () => RecallToldResponse,
    nullable: true,
    description: "Whether the holder when recalled was told by webhook (lot.recalled, this recall); null: none of its own subscriptions was to be told",
  })
  told: RecallToldResponse | null;
}

export class RecallResponse extends RecallHeadResponse implements RecallView {
  @ApiProperty({ type: () => [RecalledLotResponse], description: 'In trace-code order' })
  lots: RecalledLotResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
