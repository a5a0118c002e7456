import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { MAX_SERIES_POINTS } from './temperature-series';

export class GetTemperaturesRequestDto extends ReadQueryDto {
  @ApiPropertyOptional(apiTimestamp('Readings from this time on (default: the first)'))
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional(apiTimestamp('Readings up to this time (default: the last)'))
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 2, maximum: MAX_SERIES_POINTS, description: `At most this many points (default and most: ${MAX_SERIES_POINTS})` })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `resolution must be a whole number of points from 2 to ${MAX_SERIES_POINTS}` })
  @Min(2, { message: `resolution must be a whole number of points from 2 to ${MAX_SERIES_POINTS}` })
  @Max(MAX_SERIES_POINTS, { message: `resolution must be a whole number of points from 2 to ${MAX_SERIES_POINTS}` })
  resolution?: number;
}
