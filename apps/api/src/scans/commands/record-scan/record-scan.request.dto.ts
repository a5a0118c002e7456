import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsPositive, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsTimestamp } from '../../../common/http/timestamp.validator';
import { SCAN_ACTIONS, ScanAction } from '@app/domain';
import { IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class VehicleRequestDto {
  @IsString()
  @Length(1, 20)
  plate: string;

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
  @Matches(ID_PATTERN, { message: `scanId ${ID_RULE}` })
  scanId: string;

  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @Matches(ID_PATTERN, { message: `facilityId ${ID_RULE}` })
  facilityId: string;

  @IsIn(SCAN_ACTIONS)
  action: ScanAction;

  @IsTimestamp()
  occurredAt: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `zoneId ${ID_RULE}` })
  zoneId?: string;

  @IsOptional()
  @Matches(ID_PATTERN, { message: `toFacilityId ${ID_RULE}` })
  toFacilityId?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VehicleRequestDto)
  vehicle?: VehicleRequestDto;

  /** In the lot's own unit. */
  @IsOptional()
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  quantity?: number;

  @IsOptional()
  @IsDecimalNumber(1)
  @Min(-80)
  @Max(60)
  temperatureC?: number;
}
