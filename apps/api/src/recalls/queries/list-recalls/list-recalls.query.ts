import { Query } from '@nestjs/cqrs';
import type { QuantityUnit } from '@app/domain';
import type { Page, PageRequest } from '../../../common/queries/page';
import type { RecallHead } from '../recall-head.response';

export interface UnsoldQuantity {
  unit: QuantityUnit;
  quantity: number;
}

export interface RecallSummaryView extends RecallHead {
  /** Lots it reached that still hold goods not sold (not destroyed, some remaining). */
  unsoldLots: number;
  /** What they hold, per unit. */
  unsold: UnsoldQuantity[];
  /** Some lot still holds goods not sold. */
  inProgress: boolean;
  /** Lots held by a facility when recalled. */
  holders: number;
  /** Of those, the lots whose holder was told: a `lot.recalled` webhook delivered to one of its own subscriptions (GET /api/recalls/:id `told.delivered` > 0). */
  told: number;
}

/** Newest first by (recalledAt, recallId). */
export type RecallKey = [string, string];
export const isRecallKey = (v: unknown): v is RecallKey =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && typeof v[1] === 'string' && v[1].length > 0 && v[1].length <= 200;

export class ListRecallsQuery extends Query<Page<RecallSummaryView>> {
  constructor(
    readonly inProgress: boolean | undefined,
    readonly atLeast: number | undefined,
    readonly page: PageRequest<RecallKey>,
  ) {
    super();
  }
}
