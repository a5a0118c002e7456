import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { IsTimestamp } from '../../../common/http/timestamp.validator';

/** Where the lot in fact was: the facility (and zone) holding it from `occurredAt` on (default: when the violation happened). */
export class CustodyCorrectionRequestDto {
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `zoneId ${ID_RULE}` })
  zoneId?: string;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}

export class ResolveViolationRequestDto {
  /** Why the violation no longer blocks, in words that go into the lot's history. */
  @IsString()
  @Length(1, 500)
  reason: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustodyCorrectionRequestDto)
  correction?: CustodyCorrectionRequestDto;
}
