import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { FACILITY_TYPES, FacilityType, ZONE_KINDS, ZoneKind } from '@app/domain';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class ZoneRequestDto {
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id: string;

  @IsIn(ZONE_KINDS)
  kind: ZoneKind;
}

export class RegisterFacilityRequestDto {
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsIn(FACILITY_TYPES)
  type: FacilityType;

  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ZoneRequestDto)
  zones: ZoneRequestDto[];
}
