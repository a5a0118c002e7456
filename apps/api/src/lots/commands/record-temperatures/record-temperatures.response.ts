import { ApiProperty } from '@nestjs/swagger';
import { LotCommandResponse } from '../../lot-command.response';
import type { RecordTemperaturesResult } from './record-temperatures.http.controller';

export class TemperatureFindingResponse {
  @ApiProperty({ enum: ['EXCURSION', 'ABUSE', 'GAP'], description: 'EXCURSION: outside the range beyond the tolerance (a flag); ABUSE: beyond the hard limit (a violation that holds the lot); GAP: no reading for longer than allowed (a flag)' })
  kind: 'EXCURSION' | 'ABUSE' | 'GAP';

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty()
  message: string;
}

export class RecordTemperaturesResponse extends LotCommandResponse implements RecordTemperaturesResult {
  @ApiProperty({ format: 'uuid', description: 'The upload, as the history names it' })
  uploadId: string;

  @ApiProperty({ description: 'Readings new to the lot\'s log, now recorded' })
  recorded: number;

  @ApiProperty({ description: 'Readings the log already held (same deviceId and at): not recorded again' })
  repeated: number;

  @ApiProperty({ type: () => [TemperatureFindingResponse], description: 'What this upload showed that nothing on record did' })
  findings: TemperatureFindingResponse[];

  @ApiProperty({ description: 'The lot is held by a temperature abuse no regulator has resolved yet: sale and trade are refused (TEMPERATURE_ABUSE)' })
  held: boolean;

  @ApiProperty({ description: 'Lots split or repacked from this one that an excursion or abuse reached too' })
  lotsReached: number;
}
