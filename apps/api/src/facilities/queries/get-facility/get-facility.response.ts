import { ApiProperty } from '@nestjs/swagger';
import { FACILITY_TYPES, ZONE_KINDS, type FacilityType, type Zone, type ZoneKind } from '@app/domain';
import type { FacilityView } from './get-facility.query';

export class ZoneResponse implements Zone {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: ZONE_KINDS })
  kind: ZoneKind;
}

export class FacilityResponse implements FacilityView {
  @ApiProperty()
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  type: FacilityType;

  @ApiProperty({ type: () => [ZoneResponse] })
  zones: ZoneResponse[];

  @ApiProperty({ format: 'date-time' })
  registeredAt: string;

  @ApiProperty()
  version: number;
}
