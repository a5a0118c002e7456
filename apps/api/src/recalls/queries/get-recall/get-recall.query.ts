import { Query } from '@nestjs/cqrs';
import type { PageRequest } from '../../../common/queries/page';
import type { RecallHead } from '../recall-head.response';
import type { Custody, LotStatus, Transit } from '@app/domain';

/** Whether the holder's own subscribers were told of this recall of a lot: its `lot.recalled` webhooks and where they stand. */
export interface RecallTold {
  /** Deliveries made: one per subscription of the holder's keys that wants `lot.recalled`. */
  subscribers: number;
  delivered: number;
  /** When the first of them was delivered. */
  firstDeliveredAt: string | null;
  /** Still being tried. */
  pending: number;
  /** Refused by the receiver, or given up on (dead-lettered). */
  failed: number;
}

export interface RecallView extends RecallHead {
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
    /** Whether the holder when recalled was told by webhook; null: none of its subscriptions was to be told. */
    told: RecallTold | null;
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
