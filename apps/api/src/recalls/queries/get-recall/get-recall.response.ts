import { ApiProperty } from '@nestjs/swagger';
import type { LotStatus, RecallSource } from '@app/domain';
import { CustodyResponse, LOT_STATUSES, TransitResponse } from '../../../lots/lot-parts.response';
import type { RecallView } from './get-recall.query';

type RecalledLot = RecallView['lots'][number];

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
}

export class RecallResponse implements RecallView {
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

  @ApiProperty({ description: 'Every lot the recall reached; `lots` is one page of them' })
  lotCount: number;

  @ApiProperty({ type: () => [RecalledLotResponse], description: 'In trace-code order' })
  lots: RecalledLotResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
