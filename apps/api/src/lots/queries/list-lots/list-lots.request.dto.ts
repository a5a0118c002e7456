import { IsIn, IsISO31661Alpha2, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { COMPLIANCE_FLAGS, PRODUCT_CATEGORIES, REASON_CODES } from '@app/domain';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { PageQueryDto } from '../../../common/queries/page';

export const LIST_STATUSES = ['ALLOWED', 'BLOCKED', 'LOCKED', 'RECALLED'] as const;

/** The regulator's filters; every one optional, combined with AND. */
export class ListLotsRequestDto extends PageQueryDto {
  @IsOptional()
  @IsIn(LIST_STATUSES)
  status?: (typeof LIST_STATUSES)[number];

  @IsOptional()
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  importer?: string;

  @IsOptional()
  @IsISO31661Alpha2()
  originCountry?: string;

  @IsOptional()
  @IsIn(PRODUCT_CATEGORIES)
  category?: string;

  @IsOptional()
  @IsIn(REASON_CODES)
  reason?: string;

  @IsOptional()
  @IsIn(COMPLIANCE_FLAGS)
  flag?: string;

  /** Entered the country at or after this time. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  /** Entered the country before this time. */
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

}
