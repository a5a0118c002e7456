import { ApiProperty } from '@nestjs/swagger';
import { RegulatorActionResponse } from '../../lot-command.response';
import type { RecallLotResult } from './recall-lot.command';

export class RecallLotResponse extends RegulatorActionResponse implements RecallLotResult {
  @ApiProperty({ description: 'The recall (given, or made up): GET /api/recalls/{id}' })
  recallId: string;
}
