import { ApiProperty } from '@nestjs/swagger';
import type { LotCommandResult, RegulatorActionResult } from './lot-command.result';

export class LotEventRefResponse {
  @ApiProperty({ example: 'LotRegistered' })
  type: string;

  @ApiProperty({ description: "The event's version in the lot's stream" })
  version: number;
}

/** What every lot command answers about one lot (lotCommandResult). */
export class LotCommandResponse implements LotCommandResult {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ description: "The lot's stream version after the command" })
  version: number;

  @ApiProperty({ description: 'The global position reached: pass it as ?atLeast= to read your writes' })
  position: number;

  @ApiProperty({ type: () => [LotEventRefResponse], description: 'The events this command appended to the lot (none for a retry)' })
  events: LotEventRefResponse[];
}

/** What a command reaching several lots answers (regulatorActionResult). */
export class RegulatorActionResponse implements RegulatorActionResult {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ description: "The target lot's stream version after the command" })
  version: number;

  @ApiProperty({ description: 'The highest global position written: pass it as ?atLeast= to read your writes' })
  position: number;

  @ApiProperty({ description: 'How many lots got an event (the target and the descendants it reached)' })
  lotsAffected: number;
}
