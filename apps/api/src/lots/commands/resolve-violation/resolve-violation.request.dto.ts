import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';

/** Where the lot in fact was: the facility (and zone) holding it from `occurredAt` on (default: when the violation happened). */
export class CustodyCorrectionRequestDto {
  @ApiProperty(apiId())
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @ApiPropertyOptional(apiId())
  @IsOptional()
  @Matches(ID_PATTERN, { message: `zoneId ${ID_RULE}` })
  zoneId?: string;

  @ApiPropertyOptional(apiTimestamp('From when; default: when the violation happened'))
  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;
}

export class ResolveViolationRequestDto {
  /** Why the violation no longer blocks, in words that go into the lot's history. */
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why the violation no longer blocks, in words that go into the lot\'s history' })
  @IsString()
  @Length(1, 500)
  reason: string;

  @ApiPropertyOptional({ type: () => CustodyCorrectionRequestDto, description: 'Where the lot in fact was, recorded as its own CustodyCorrected event' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CustodyCorrectionRequestDto)
  correction?: CustodyCorrectionRequestDto;
}
