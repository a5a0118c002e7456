import { Query } from '@nestjs/cqrs';
import type { Custody, LotStatus, RecallSource, Transit } from '@app/domain';

export interface RecallView {
  recallId: string;
  origin: string;
  reason: string;
  source: RecallSource;
  recalledAt: string;
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
}

export class GetRecallQuery extends Query<RecallView> {
  constructor(
    readonly recallId: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
