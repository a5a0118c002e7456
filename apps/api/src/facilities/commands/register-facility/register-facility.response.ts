import { ApiProperty } from '@nestjs/swagger';
import type { RegisterFacilityResult } from './register-facility.command';

export class RegisterFacilityResponse implements RegisterFacilityResult {
  @ApiProperty()
  id: string;

  @ApiProperty({ description: "The facility's stream version" })
  version: number;

  @ApiProperty({ description: 'The global position reached' })
  position: number;
}
