import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { FACILITY_TYPES, FacilityType, ZONE_KINDS, ZoneKind } from '@app/domain';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class ZoneRequestDto {
  @ApiProperty(apiId())
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id: string;

  @ApiProperty({ enum: ZONE_KINDS })
  @IsIn(ZONE_KINDS)
  kind: ZoneKind;
}

export class RegisterFacilityRequestDto {
  @ApiProperty(apiId())
  @Matches(ID_PATTERN, { message: `id ${ID_RULE}` })
  id: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  @IsIn(FACILITY_TYPES)
  type: FacilityType;

  @ApiProperty({ type: () => [ZoneRequestDto], maxItems: 200 })
  @IsArray()
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ZoneRequestDto)
  zones: ZoneRequestDto[];
}
