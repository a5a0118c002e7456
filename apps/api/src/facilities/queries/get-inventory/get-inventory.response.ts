import { ApiProperty } from '@nestjs/swagger';
import type { LotStatus } from '@app/domain';
import { BlockingReasonResponse, CustodyResponse, LOT_STATUSES, LotQuantityResponse, ProductResponse } from '../../../lots/lot-parts.response';
import type { InventoryItem, InventoryView } from './get-inventory.query';

export class InventoryItemResponse implements InventoryItem {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ type: () => ProductResponse, nullable: true })
  product: ProductResponse | null;

  @ApiProperty({ type: () => LotQuantityResponse, nullable: true })
  quantity: LotQuantityResponse | null;

  @ApiProperty({ type: () => CustodyResponse, nullable: true })
  holder: CustodyResponse | null;

  @ApiProperty({ enum: LOT_STATUSES })
  status: LotStatus;

  @ApiProperty()
  saleAllowed: boolean;

  @ApiProperty({ type: () => [BlockingReasonResponse] })
  reasons: BlockingReasonResponse[];
}

export class InventoryResponse implements InventoryView {
  @ApiProperty()
  facilityId: string;

  @ApiProperty({ type: () => [InventoryItemResponse], description: 'What is held there now, in trace-code order' })
  lots: InventoryItemResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
