import { ApiProperty } from '@nestjs/swagger';
import { RegulatorActionResponse } from '../../lot-command.response';
import type { ResolveViolationResult } from './resolve-violation.command';

export class ResolveViolationResponse extends RegulatorActionResponse implements ResolveViolationResult {
  @ApiProperty()
  violationId: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'The CustodyCorrected record, when a correction was given' })
  correctionId: string | null;
}
