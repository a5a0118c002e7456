import { ApiProperty } from '@nestjs/swagger';
import { RegulatorActionResponse } from '../../lot-command.response';

/** Lock and unlock answer alike: the action's reach, and whether the lot is locked now. */
export class LockStateResponse extends RegulatorActionResponse {
  @ApiProperty({ description: 'Whether the target lot is locked after the command' })
  locked: boolean;
}
