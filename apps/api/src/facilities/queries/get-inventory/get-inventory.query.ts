import { Query } from '@nestjs/cqrs';
import type { PageRequest } from '../../../common/queries/page';
import type { BlockingReason, Custody, LotStatus, ProductView } from '@app/domain';

export interface InventoryItem {
  traceCode: string;
  product: ProductView | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
  holder: Custody | null;
  status: LotStatus;
  saleAllowed: boolean;
  reasons: BlockingReason[];
}

export interface InventoryView {
  facilityId: string;
  lots: InventoryItem[];
  /** In trace-code order; pass as `cursor` for the next page, null on the last. */
  nextCursor: string | null;
}

export class GetInventoryQuery extends Query<InventoryView> {
  constructor(
    readonly facilityId: string,
    readonly atLeast: number | undefined,
    readonly page: PageRequest<string>,
  ) {
    super();
  }
}
