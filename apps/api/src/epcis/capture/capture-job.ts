import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An event of a capture that recorded no scan, and why (the code a lone POST /api/scans would answer, or EPCIS_NOT_MAPPED / EPCIS_UNIT_MISMATCH). */
export class CaptureJobErrorDto {
  @ApiProperty({ type: String, nullable: true, description: "The event's eventID (null when it had none)" })
  eventID: string | null;

  @ApiProperty({ description: 'Stable error code', example: 'SALE_BLOCKED' })
  code: string;

  @ApiProperty()
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: "The refusal's facts (e.g. the sale's `reasons`)" })
  details?: Record<string, unknown>;
}

/**
 * The EPCIS 2.0 capture job of one POST /api/epcis/capture. Capture runs
 * inside the request, so the job is finished (running false) by the time the
 * 202 is answered; `success` is true when every event became a scan (now or
 * in an earlier capture of the same eventID).
 */
export class CaptureJobDto {
  @ApiProperty({ format: 'uuid' })
  captureID: string;

  @ApiProperty({ description: 'Always false: the capture was done before the answer' })
  running: boolean;

  @ApiProperty({ description: 'Every event was recorded (or had been already)' })
  success: boolean;

  @ApiProperty({ enum: ['proceed'], description: 'Events the rules refuse are reported; the others are recorded (GS1-Capture-Error-Behaviour: proceed)' })
  captureErrorBehaviour: 'proceed';

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt: string;

  @ApiProperty({ description: 'Events in the document' })
  eventCount: number;

  @ApiProperty({ description: 'The highest global position a scan of this capture reached (0 when none did): pass it as ?atLeast= to read them' })
  position: number;

  @ApiProperty({ type: [CaptureJobErrorDto], description: 'One entry per event that recorded no scan, in document order' })
  errors: CaptureJobErrorDto[];
}
