import { ApiProperty } from '@nestjs/swagger';
import { FACILITY_TYPES, type FacilityType } from '@app/domain';
import { ZoneResponse } from '../get-facility/get-facility.response';
import type { FacilityListItem, FacilityListView } from './list-facilities.query';

export class FacilityListItemResponse implements FacilityListItem {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  type: FacilityType;

  @ApiProperty({ type: () => [ZoneResponse] })
  zones: ZoneResponse[];
}

export class FacilityListResponse implements FacilityListView {
  @ApiProperty({ type: () => [FacilityListItemResponse], description: 'Registered facilities, in id order' })
  items: FacilityListItemResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
