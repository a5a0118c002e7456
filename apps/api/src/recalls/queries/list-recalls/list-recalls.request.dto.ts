import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '../../../common/queries/page';

export class ListRecallsRequestDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: some lot it reached still holds goods not sold (not destroyed, some remaining); false: none does' })
  @IsOptional()
  @IsIn(['true', 'false'])
  inProgress?: 'true' | 'false';
}
