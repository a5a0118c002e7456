import { ApiProperty, PickType } from '@nestjs/swagger';
import { FacilityResponse } from '../get-facility/get-facility.response';
import type { FacilityListItem, FacilityListView } from './list-facilities.query';

export class FacilityListItemResponse extends PickType(FacilityResponse, ['id', 'name', 'type', 'zones'] as const) implements FacilityListItem {}

export class FacilityListResponse implements FacilityListView {
  @ApiProperty({ type: () => [FacilityListItemResponse], description: 'Registered facilities, in id order' })
  items: FacilityListItemResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
