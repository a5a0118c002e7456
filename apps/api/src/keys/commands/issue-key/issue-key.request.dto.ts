import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAX_KEY_FACILITIES, ROLES, type Role } from '@app/domain';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class IssueKeyRequestDto {
  /** Who or what holds the key (a scanner, a lab system, a person); shown in every event it writes. */
  @IsString()
  @Length(1, 100)
  name: string;

  @IsIn(ROLES)
  role: Role;

  /** OPERATOR only: the facilities it works at (each must be registered). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_KEY_FACILITIES)
  @Matches(ID_PATTERN, { each: true, message: `each of facilityIds ${ID_RULE}` })
  facilityIds?: string[];
}
