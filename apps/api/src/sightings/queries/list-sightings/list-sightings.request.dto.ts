import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { PageQueryDto } from '../../../common/queries/page';

/** The regulator's filters, both optional, combined with AND. */
export class ListSightingsRequestDto extends PageQueryDto {
  @ApiPropertyOptional(apiId('Sightings of this code'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode?: string;

  @ApiPropertyOptional(apiId('Sightings reported by this facility'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId?: string;
}
