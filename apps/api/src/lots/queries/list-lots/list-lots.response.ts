import { ApiProperty } from '@nestjs/swagger';
import type { LotStatus } from '@app/domain';
import { BlockingReasonResponse, ComplianceFlagResponse, LOT_STATUSES, LotQuantityResponse } from '../../lot-parts.response';
import type { LotListItem, LotListView } from './list-lots.query';

export class LotListItemResponse implements LotListItem {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ enum: LOT_STATUSES })
  status: LotStatus;

  @ApiProperty({ description: 'May be sold now' })
  allowed: boolean;

  @ApiProperty({ type: () => [BlockingReasonResponse] })
  reasons: BlockingReasonResponse[];

  @ApiProperty({ type: () => [ComplianceFlagResponse] })
  flags: ComplianceFlagResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  holderFacilityId: string | null;

  @ApiProperty({ type: [String] })
  importers: string[];

  @ApiProperty({ type: [String] })
  originCountries: string[];

  @ApiProperty({ type: 'string', nullable: true })
  category: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  enteredAt: string | null;

  @ApiProperty({ type: () => LotQuantityResponse, nullable: true })
  quantity: LotQuantityResponse | null;

  @ApiProperty()
  position: number;
}

export class LotListResponse implements LotListView {
  @ApiProperty({ type: () => [LotListItemResponse], description: 'In trace-code order' })
  items: LotListItemResponse[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last page' })
  nextCursor: string | null;
}
