import { Query } from '@nestjs/cqrs';
import type { ActorRef, FacilityType } from '@app/domain';
import type { Page, PageRequest } from '../../../common/queries/page';

export interface SightingView {
  id: string;
  traceCode: string;
  /** Whether Coldtrace has a lot with this code (a code it does not know may be a counterfeit label). */
  lotKnown: boolean;
  facilityId: string;
  facilityType: FacilityType;
  occurredAt: string;
  note: string;
  reportedAt: string;
  reportedBy: ActorRef | null;
  position: number;
}

export class ListSightingsQuery extends Query<Page<SightingView>> {
  constructor(
    readonly filter: { readonly traceCode?: string; readonly facilityId?: string },
    readonly page: PageRequest<number>,
  ) {
    super();
  }
}
