import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQueryDto } from '../../../common/queries/page';

export class TraceLotRequestDto extends PageQueryDto {
  /** forward = where did it go; backward = where did it come from. */
  @ApiProperty({ enum: ['forward', 'backward'], description: 'forward: every descendant (where did it go); backward: every ancestor (where did it come from)' })
  @IsIn(['forward', 'backward'])
  direction: 'forward' | 'backward';
}
