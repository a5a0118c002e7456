import { Query } from '@nestjs/cqrs';
import type { FacilityType, Zone } from '@app/domain';
import type { PageRequest } from '../../../common/queries/page';

export interface FacilityListItem {
  id: string;
  name: string;
  type: FacilityType;
  zones: Zone[];
}

export interface FacilityListView {
  items: FacilityListItem[];
  /** In id order; pass as `cursor` for the next page, null on the last. */
  nextCursor: string | null;
}

export class ListFacilitiesQuery extends Query<FacilityListView> {
  constructor(readonly page: PageRequest<string>) {
    super();
  }
}
