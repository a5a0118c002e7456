import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { RecordScanResponse } from '../record-scan/record-scan.response';
import type { BatchResult, BatchScanResult } from './record-scan-batch.http.controller';

/** A scan of the batch that was recorded (now or by an earlier send): what POST /api/scans answers, and its status. */
export class AcceptedScanResponse extends RecordScanResponse {
  @ApiProperty({ enum: ['accepted'] })
  status: 'accepted';
}

/** A scan of the batch that was refused alone: the error a lone POST /api/scans would get. */
export class RefusedScanResponse {
  @ApiProperty({ type: 'string', nullable: true, description: 'null when the item had no readable scanId' })
  scanId: string | null;

  @ApiProperty({ enum: ['refused'] })
  status: 'refused';

  @ApiProperty({ example: 'FORBIDDEN', description: 'FORBIDDEN, VALIDATION_FAILED, FACILITY_NOT_FOUND, LOT_NOT_FOUND, or a rule code (TRADE_BLOCKED, SALE_BLOCKED, ...)' })
  code: string;

  @ApiProperty()
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;
}

export class RecordScanBatchResponse implements BatchResult {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(AcceptedScanResponse) }, { $ref: getSchemaPath(RefusedScanResponse) }] },
    description: 'One per scan, in the order sent',
  })
  results: BatchScanResult[];

  @ApiProperty({ description: 'The highest position of an accepted scan (0 when none was): pass it as ?atLeast= to read them all' })
  position: number;
}
