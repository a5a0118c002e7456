import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsPositive, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { QUANTITY_UNITS, QuantityUnit, SCAN_ACTIONS, ScanAction } from '@app/domain';
import { apiDecimal, IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class VehicleRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  plate: string;

  @ApiPropertyOptional(apiTimestamp('When the vehicle was last disinfected; without it a DISPATCH raises VEHICLE_NOT_DISINFECTED'))
  @IsOptional()
  @IsTimestamp()
  disinfectedAt?: string;
}

/**
 * One scan by a warehouse or market scanner. Which optional fields an action
 * needs (zoneId for STORE, toFacilityId for DISPATCH, quantity for SELL) is
 * decided by the lot decider, so the rule lives in one place.
 */
export class RecordScanRequestDto {
  /** The scanner's idempotency key. */
  @ApiProperty(apiId('The scanner\'s idempotency key: the same scanId and body again answers the first answer'))
  @Matches(ID_PATTERN, { message: `scanId ${ID_RULE}` })
  scanId: string;

  @ApiProperty(apiId())
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @ApiProperty(apiId('Where the scan happened (an operator key\'s own facility)'))
  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @ApiProperty({ enum: SCAN_ACTIONS })
  @IsIn(SCAN_ACTIONS)
  action: ScanAction;

  @ApiProperty(apiTimestamp('When it happened; at most 5 minutes in the future'))
  @IsTimestamp()
  occurredAt: string;

  @ApiPropertyOptional(apiId('A zone of the facility; required for STORE'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `zoneId ${ID_RULE}` })
  zoneId?: string;

  @ApiPropertyOptional(apiId('DISPATCH only, and required for it: where the lot goes'))
  @IsOptional()
  @Matches(ID_PATTERN, { message: `toFacilityId ${ID_RULE}` })
  toFacilityId?: string;

  @ApiPropertyOptional({ type: () => VehicleRequestDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VehicleRequestDto)
  vehicle?: VehicleRequestDto;

  /** In the lot's own unit. */
  @ApiPropertyOptional({ ...apiDecimal(3, 'In the lot\'s own unit; required for SELL'), exclusiveMinimum: true, minimum: 0, maximum: 1_000_000_000 })
  @IsOptional()
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  quantity?: number;

  /** Stated by systems that name a unit (EPCIS capture, from `uom`); checked, never converted. */
  @ApiPropertyOptional({ enum: QUANTITY_UNITS, description: 'The unit quantity is counted in; when given it must be the lot\'s own unit (422 UNIT_MISMATCH), as nothing is converted' })
  @IsOptional()
  @IsIn(QUANTITY_UNITS)
  unit?: QuantityUnit;

  @ApiPropertyOptional({ ...apiDecimal(1, 'Degrees Celsius; above the category\'s limit raises TEMPERATURE_EXCURSION'), minimum: -80, maximum: 60 })
  @IsOptional()
  @IsDecimalNumber(1)
  @Min(-80)
  @Max(60)
  temperatureC?: number;
}
