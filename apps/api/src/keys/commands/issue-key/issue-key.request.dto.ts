import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_KEY_FACILITIES, ROLES, type Role } from '@app/domain';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class IssueKeyRequestDto {
  /** Who or what holds the key (a scanner, a lab system, a person); shown in every event it writes. */
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Who or what holds the key; shown in every event it writes' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  /** OPERATOR only: the facilities it works at (each must be registered). */
  @ApiPropertyOptional({
    type: 'array',
    items: apiId(),
    minItems: 1,
    maxItems: MAX_KEY_FACILITIES,
    description: 'For an OPERATOR only: the registered facilities it works at',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_KEY_FACILITIES)
  @Matches(ID_PATTERN, { each: true, message: `each of facilityIds ${ID_RULE}` })
  facilityIds?: string[];
}
