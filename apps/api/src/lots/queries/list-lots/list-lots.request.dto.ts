import { IsIn, IsISO31661Alpha2, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { COMPLIANCE_FLAGS, PRODUCT_CATEGORIES, REASON_CODES } from '@app/domain';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { ReadQueryDto } from '../../../common/queries/read-query.dto';

export const LIST_STATUSES = ['ALLOWED', 'BLOCKED', 'LOCKED', 'RECALLED'] as const;

/** The regulator's filters; every one optional, combined with AND. */
export class ListLotsRequestDto extends ReadQueryDto {
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

  @IsOptional()
  @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer from 1 to 1000' })
  limit?: string;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a nextCursor returned by this endpoint' })
  cursor?: string;
}
