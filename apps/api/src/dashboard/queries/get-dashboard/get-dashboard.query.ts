import { Query } from '@nestjs/cqrs';
import type { ReasonCode } from '@app/domain';
import type { UnsoldQuantity } from '../../../recalls/queries/list-recalls/list-recalls.query';

/** A number on the dashboard and the list it counts: GET that path (all its pages) and count the items. */
export interface Counted {
  count: number;
  list: string;
}

export interface DashboardView {
  /** When it was counted; the last hour is the hour before. */
  at: string;
  /** Lots that may not be sold now, and per reason (a lot blocked for two reasons counts under each). */
  lotsNotSellable: Counted & { byReason: (Counted & { reason: ReasonCode })[] };
  openViolations: Counted;
  /** Recalls some lot of which still holds goods not sold, with those goods and the holders told, summed over them. */
  recallsInProgress: Counted & { unsold: UnsoldQuantity[]; holders: number; told: number };
  /** Scans recorded in the last hour. */
  scans: Counted;
  /** Scans refused in the last hour. */
  refusals: Counted;
}

export class GetDashboardQuery extends Query<DashboardView> {
  constructor(readonly atLeast: number | undefined) {
    super();
  }
}
