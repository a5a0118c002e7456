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

  /**
   * The common envelope, answered without class-transformer (which copied
   * every scan of it) and class-validator; anything else is theirs to judge.
   * Each scan is checked on its own later (RecordScanBatchHandler).
   */
  static precheck(body: unknown): RecordScanBatchRequestDto | null {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    for (const k in body) if (k !== 'scans') return null;
    const scans = (body as { scans?: unknown }).scans;
    if (!Array.isArray(scans) || scans.length < 1 || scans.length > MAX_BATCH_SCANS) return null;
    for (let i = 0; i < scans.length; i++) {
      const scan: unknown = scans[i];
      if (typeof scan !== 'object' || scan === null || Array.isArray(scan)) return null;
    }
    return Object.assign(new RecordScanBatchRequestDto(), { scans });
  }
}
