import { Query } from '@nestjs/cqrs';
import type { FacilityType, Zone } from '@app/domain';

export interface FacilityView {
  id: string;
  name: string;
  type: FacilityType;
  zones: Zone[];
  registeredAt: string;
  version: number;
}

export class GetFacilityQuery extends Query<FacilityView> {
  constructor(readonly id: string) {
    super();
  }
}
