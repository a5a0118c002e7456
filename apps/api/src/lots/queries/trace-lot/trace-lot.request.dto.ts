import { IsIn } from 'class-validator';
import { PageQueryDto } from '../../../common/queries/page';

export class TraceLotRequestDto extends PageQueryDto {
  /** forward = where did it go; backward = where did it come from. */
  @IsIn(['forward', 'backward'])
  direction: 'forward' | 'backward';
}
