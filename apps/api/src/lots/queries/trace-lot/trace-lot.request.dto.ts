import { IsIn } from 'class-validator';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';

export class TraceLotRequestDto extends ReadQueryDto {
  /** forward = where did it go; backward = where did it come from. */
  @IsIn(['forward', 'backward'])
  direction: 'forward' | 'backward';
}
