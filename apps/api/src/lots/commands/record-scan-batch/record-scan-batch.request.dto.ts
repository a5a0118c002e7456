import { ApiProperty } from '@nestjs/swagger';
import { RecordScanRequestDto } from '../record-scan/record-scan.request.dto';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';

export const MAX_BATCH_SCANS = 1000;

/**
 * A scanner's buffer. Each scan is shaped as for POST /api/scans and is
 * validated, scoped and judged on its own: one malformed or refused scan
 * does not stop the others.
 */
export class RecordScanBatchRequestDto {
  @ApiProperty({
    type: () => [RecordScanRequestDto],
    minItems: 1,
    maxItems: MAX_BATCH_SCANS,
    description: 'Each shaped as for POST /api/scans; a scan that is not is refused on its own (VALIDATION_FAILED in its result), not the batch',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SCANS)
  @IsObject({ each: true, message: 'each scan must be a JSON object' })
  scans: Record<string, unknown>[];
}
