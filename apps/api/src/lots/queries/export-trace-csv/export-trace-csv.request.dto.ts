import { IsIn } from 'class-validator';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';
import { ApiProperty } from '@nestjs/swagger';

/** The whole trace in one file: no `limit` or `cursor` (the server pages inside). */
export class ExportTraceCsvRequestDto extends ReadQueryDto {
  /** forward = where did it go; backward = where did it come from. */
  @ApiProperty({ enum: ['forward', 'backward'], description: 'forward: every descendant (where did it go); backward: every ancestor (where did it come from)' })
  @IsIn(['forward', 'backward'])
  direction: 'forward' | 'backward';
}
