import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject } from 'class-validator';

export const MAX_BATCH_SCANS = 1000;

/**
 * A scanner's buffer. Each scan is shaped as for POST /api/scans and is
 * validated, scoped and judged on its own: one malformed or refused scan
 * does not stop the others.
 */
export class RecordScanBatchRequestDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SCANS)
  @IsObject({ each: true, message: 'each scan must be a JSON object' })
  scans: Record<string, unknown>[];
}
