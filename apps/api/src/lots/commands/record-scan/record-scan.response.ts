import { ApiProperty } from '@nestjs/swagger';
import { COMPLIANCE_FLAGS, SCAN_ACTIONS, TRACE_VIOLATIONS, type ComplianceFlagKind, type TraceViolationKind } from '@app/domain';
import { LotCommandResponse } from '../../lot-command.response';
import type { RecordScanResult } from './record-scan.mapping';

export class ScanViolationResponse {
  @ApiProperty({ enum: TRACE_VIOLATIONS })
  kind: TraceViolationKind;

  @ApiProperty()
  message: string;
}

export class ScanFlagResponse {
  @ApiProperty({ enum: COMPLIANCE_FLAGS })
  flag: ComplianceFlagKind;

  @ApiProperty()
  message: string;
}

export class RecordScanResponse extends LotCommandResponse implements RecordScanResult {
  @ApiProperty()
  scanId: string;

  @ApiProperty({ enum: SCAN_ACTIONS })
  action: string;

  @ApiProperty({ type: () => [ScanViolationResponse], description: "Rule breaks this scan revealed: recorded in the lot's history and blocking it" })
  violations: ScanViolationResponse[];

  @ApiProperty({ type: () => [ScanFlagResponse], description: 'Compliance flags this scan raised (not blocking on their own)' })
  flags: ScanFlagResponse[];
}
