import { Query } from '@nestjs/cqrs';
import type { BlockingReason, ComplianceFlag, LotStatus } from '@app/domain';
import { ListLotsRequestDto } from './list-lots.request.dto';

export interface LotListItem {
  traceCode: string;
  status: LotStatus;
  allowed: boolean;
  reasons: BlockingReason[];
  flags: ComplianceFlag[];
  holderFacilityId: string | null;
  importers: string[];
  /** Every origin of the goods: several for a lot merged from lots of different origins. */
  originCountries: string[];
  category: string | null;
  enteredAt: string | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
  position: number;
}

export interface LotListView {
  items: LotListItem[];
  /** Pass as ?cursor= for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ListLotsQuery extends Query<LotListView> {
  constructor(readonly filters: ListLotsRequestDto) {
    super();
  }
}
