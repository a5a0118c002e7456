import { ApiProperty } from '@nestjs/swagger';
import type { FacilityType } from '@app/domain';
import { FACILITY_TYPES } from '@app/domain';
import type { Page } from '../../../common/queries/page';
import type { SightingView } from './list-sightings.query';

class SightingActorResponse {
  @ApiProperty()
  keyId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ['OPERATOR'] })
  role: 'OPERATOR';
}

export class SightingResponse implements SightingView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  traceCode: string;

  @ApiProperty({ description: 'Whether Coldtrace has a lot with this code (one it does not know may be a counterfeit label)' })
  lotKnown: boolean;

  @ApiProperty({ description: 'Where it was found' })
  facilityId: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  facilityType: FacilityType;

  @ApiProperty({ format: 'date-time', description: 'When it was found' })
  occurredAt: string;

  @ApiProperty()
  note: string;

  @ApiProperty({ format: 'date-time' })
  reportedAt: string;

  @ApiProperty({ type: () => SightingActorResponse, nullable: true, description: 'The key that reported it' })
  reportedBy: SightingActorResponse | null;

  @ApiProperty()
  position: number;
}

export class ListSightingsResponse implements Page<SightingView> {
  @ApiProperty({ type: () => [SightingResponse], description: 'Newest first' })
  items: SightingResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor: string | null;
}
