import { Query } from '@nestjs/cqrs';
import type { BlockingReason, Custody, LotStatus, Product } from '@app/domain';

export interface InventoryItem {
  traceCode: string;
  product: Product | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
  holder: Custody | null;
  status: LotStatus;
  saleAllowed: boolean;
  reasons: BlockingReason[];
}

export interface InventoryView {
  facilityId: string;
  lots: InventoryItem[];
}

export class GetInventoryQuery extends Query<InventoryView> {
  constructor(
    readonly facilityId: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
