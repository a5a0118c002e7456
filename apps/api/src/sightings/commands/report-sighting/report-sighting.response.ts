import { ApiProperty } from '@nestjs/swagger';
import type { ReportSightingResult } from './report-sighting.command';

export class ReportSightingResponse implements ReportSightingResult {
  @ApiProperty({ format: 'uuid', description: 'The sighting\'s id' })
  id: string;

  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  facilityId: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ format: 'date-time' })
  reportedAt: string;

  @ApiProperty({ description: 'The global position reached' })
  position: number;
}
