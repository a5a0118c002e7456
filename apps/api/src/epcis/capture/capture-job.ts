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

/** GS1-Capture-Error-Behaviour: `rollback` (the standard's default) records nothing when an event is refused; `proceed` records the others. */
export const CAPTURE_ERROR_BEHAVIOURS = ['rollback', 'proceed'] as const;
export type CaptureErrorBehaviour = (typeof CAPTURE_ERROR_BEHAVIOURS)[number];

/** Why a background job ended without capturing its document to the end. */
export class CaptureJobFailureDto {
  @ApiProperty({ enum: ['CAPTURE_INTERRUPTED', 'CAPTURE_KEY_REVOKED', 'CAPTURE_FAILED'], description: 'CAPTURE_INTERRUPTED: its api processes stopped too often; CAPTURE_KEY_REVOKED: the key was revoked before it ended; CAPTURE_FAILED: an error of ours' })
  code: string;

  @ApiProperty()
  message: string;
}

/**
 * The EPCIS 2.0 capture job of one POST /api/epcis/capture. A document of
 * up to EPCIS_CAPTURE_INLINE_EVENTS events is captured inside the request
 * (the 202 carries the finished job); a larger one in the background, a
 * slice at a time (running true until it ends, eventsDone its progress).
 * `success` is true when every event became a scan (now or in an earlier
 * capture of the same eventID).
 */
export class CaptureJobDto {
  @ApiProperty({ format: 'uuid' })
  captureID: string;

  @ApiProperty({ description: 'Still being captured in the background (a large document); false once it ended' })
  running: boolean;

  @ApiProperty({ description: 'Every event was recorded (or had been already); false while running' })
  success: boolean;

  @ApiProperty({ enum: CAPTURE_ERROR_BEHAVIOURS, description: 'GS1-Capture-Error-Behaviour as sent (default rollback): rollback records nothing when an event is refused, proceed records the others' })
  captureErrorBehaviour: CaptureErrorBehaviour;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null while running' })
  finishedAt: string | null;

  @ApiProperty({ description: 'Events in the document' })
  eventCount: number;

  @ApiProperty({ description: 'Events judged so far (eventCount once it ended, unless it failed)' })
  eventsDone: number;

  @ApiProperty({ description: 'The highest global position a scan of this capture reached (0 when none did): pass it as ?atLeast= to read them' })
  position: number;

  @ApiProperty({ type: [CaptureJobErrorDto], description: 'One entry per event that recorded no scan, in document order' })
  errors: CaptureJobErrorDto[];

  @ApiProperty({ type: CaptureJobFailureDto, nullable: true, description: 'Why the job ended before its last event (null otherwise): the events before eventsDone were judged, the rest were not' })
  failure: CaptureJobFailureDto | null;
}
