import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { VIOLATION_STATUSES, type ViolationStatus } from '@app/domain';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { PageQueryDto } from '../../../common/queries/page';

/** The regulator's filters, both optional, combined with AND. */
export class ListViolationsRequestDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: VIOLATION_STATUSES, description: 'OPEN blocks the lot; RESOLVED by a regulator; EXPLAINED by a late scan' })
  @IsOptional()
  @IsIn(VIOLATION_STATUSES)
  status?: ViolationStatus;

  @ApiPropertyOptional(apiId('Where the scan that revealed it happened'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId?: string;
}
