import { IsIn } from 'class-validator';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';

/** The whole trace in one file: no `limit` or `cursor` (the server pages inside). */
export class ExportTraceCsvRequestDto extends ReadQueryDto {
  /** forward = where did it go; backward = where did it come from. */
  @IsIn(['forward', 'backward'])
  direction: 'forward' | 'backward';
}
