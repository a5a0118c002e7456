import { Query } from '@nestjs/cqrs';
import type { PageRequest } from '../../../common/queries/page';
import type { Custody, LotStatus, RecallSource, Transit } from '@app/domain';

export interface RecallView {
  recallId: string;
  origin: string;
  reason: string;
  source: RecallSource;
  recalledAt: string;
  /** Every lot the recall reached; `lots` is one page of them. */
  lotCount: number;
  lots: {
    traceCode: string;
    /** Where it was when recalled. */
    recalledAt: string;
    holderWhenRecalled: string | null;
    /** Where it is now. */
    holder: Custody | null;
    inTransit: Transit | null;
    remaining: number | null;
    status: LotStatus | null;
  }[];
  /** In trace-code order; pass as `cursor` for the next page, null on the last. */
  nextCursor: string | null;
}

export class GetRecallQuery extends Query<RecallView> {
  constructor(
    readonly recallId: string,
    readonly atLeast: number | undefined,
    readonly page: PageRequest<string>,
  ) {
    super();
  }
}
