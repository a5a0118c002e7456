import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO31661Alpha2, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { COMPLIANCE_FLAGS, PRODUCT_CATEGORIES, REASON_CODES } from '@app/domain';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { PageQueryDto } from '../../../common/queries/page';

export const LIST_STATUSES = ['ALLOWED', 'BLOCKED', 'LOCKED', 'RECALLED'] as const;

/** The regulator's filters; every one optional, combined with AND. */
export class ListLotsRequestDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LIST_STATUSES })
  @IsOptional()
  @IsIn(LIST_STATUSES)
  status?: (typeof LIST_STATUSES)[number];

  @ApiPropertyOptional(apiId('Held there now'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: 'One of the lot\'s importers' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  importer?: string;

  @ApiPropertyOptional({ pattern: '^[A-Z]{2}$', description: 'One of the lot\'s origin countries (ISO 3166-1 alpha-2)' })
  @IsOptional()
  @IsISO31661Alpha2()
  originCountry?: string;

  @ApiPropertyOptional({ enum: PRODUCT_CATEGORIES })
  @IsOptional()
  @IsIn(PRODUCT_CATEGORIES)
  category?: string;

  @ApiPropertyOptional({ enum: REASON_CODES, description: 'Blocked for this reason' })
  @IsOptional()
  @IsIn(REASON_CODES)
  reason?: string;

  @ApiPropertyOptional({ enum: COMPLIANCE_FLAGS, description: 'Carries this compliance flag' })
  @IsOptional()
  @IsIn(COMPLIANCE_FLAGS)
  flag?: string;

  /** Entered the country at or after this time. */
  @ApiPropertyOptional({ description: 'Entered the country at or after this time (ISO 8601 date, or date and time)', example: '2026-11-20T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Entered the country before this time. */
  @ApiPropertyOptional({ description: 'Entered the country before this time (ISO 8601 date, or date and time)', example: '2026-11-21' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

}
