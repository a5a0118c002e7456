import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { Custody, LotStatus, ProductView, RouteStop, Transit } from '@app/domain';
import type { LotLink } from '@app/read-models';
import type { PageRequest } from '../../../common/queries/page';

export interface TraceNode {
  traceCode: string;
  product: ProductView | null;
  importers: string[];
  /** Every origin of the goods: several for a lot merged from lots of different origins. */
  originCountries: string[];
  portOfEntryId: string | null;
  enteredAt: string | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
  status: LotStatus;
  saleAllowed: boolean;
  holder: Custody | null;
  inTransit: Transit | null;
  /** The facilities this lot passed through, with arrival and departure times. */
  route: RouteStop[];
  parents: { traceCode: string; quantity: number }[];
}

export interface TraceView {
  traceCode: string;
  direction: 'forward' | 'backward';
  lots: TraceNode[];
  links: LotLink[];
  /** Lots named by the genealogy that the read model does not show yet (projection lag). */
  pending: string[];
  /** Lots of the genealogy left out because they never came near the caller's facilities (operators only). */
  hiddenLots: number;
  /** Lots come a page at a time in trace-code order, each with the links into it; pass as `cursor` for the next page, null on the last. */
  nextCursor: string | null;
}

export class TraceLotQuery extends Query<TraceView> {
  constructor(
    readonly traceCode: string,
    readonly direction: 'forward' | 'backward',
    readonly atLeast: number | undefined,
    /** Who asks: an operator sees only the lots of the genealogy that came near its facilities. */
    readonly viewer: Principal,
    readonly page: PageRequest<string>,
  ) {
    super();
  }
}
