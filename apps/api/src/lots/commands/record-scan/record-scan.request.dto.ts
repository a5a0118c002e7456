import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsPositive, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { isFullTimestamp, QUANTITY_UNITS, QuantityUnit, SCAN_ACTIONS, ScanAction } from '@app/domain';
import { apiDecimal, decimalPlaces, IsDecimalNumber } from '../../../common/http/decimal-number.validator';
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

  /** The common, certainly valid scan, answered without class-transformer and class-validator (see precheckedScan). */
  static precheck(raw: unknown): RecordScanRequestDto | null {
    return precheckedScan(raw);
  }
}

/*
 * The decorators of RecordScanRequestDto stay the rules. This only answers
 * "certainly valid" for the common scan, by hand: class-transformer and
 * class-validator cost a batch of 1000 scans about a third of what it
 * allocates. It says yes only where the decorators would, and builds the
 * same instance (record-scan.request.dto.spec.ts compares the two);
 * anything else, a null or a field it does not know included, goes to the
 * validation pipe, which gives the exact errors.
 */

const FIELDS = new Set(['scanId', 'traceCode', 'facilityId', 'action', 'occurredAt', 'zoneId', 'toFacilityId', 'vehicle', 'quantity', 'unit', 'temperatureC']);
const VEHICLE_FIELDS = new Set(['plate', 'disinfectedAt']);
const ACTIONS: ReadonlySet<unknown> = new Set(SCAN_ACTIONS);
const UNITS: ReadonlySet<unknown> = new Set(QUANTITY_UNITS);
/** 1-20 characters that class-validator's Length counts one each (it counts a surrogate pair, or a variation selector, otherwise). */
const PLATE = /^[^\uD800-\uDFFF\uFE0E\uFE0F]{1,20}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): boolean => typeof v === 'string' && ID_PATTERN.test(v);
const isTimestamp = (v: unknown): boolean => typeof v === 'string' && isFullTimestamp(v);
const isDecimal = (v: unknown, places: number, min: number, max: number, exclusiveMin: boolean): boolean =>
  typeof v === 'number' && Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max && decimalPlaces(v) <= places;

/** The optional fields as the decorators take them when given (a null is the pipe's to judge). */
const OPTIONAL: Record<string, (v: unknown) => boolean> = {
  zoneId: isId,
  toFacilityId: isId,
  quantity: (v) => isDecimal(v, 3, 0, 1_000_000_000, true),
  unit: (v) => UNITS.has(v),
  temperatureC: (v) => isDecimal(v, 1, -80, 60, false),
};

const vehicleOf = (v: unknown): VehicleRequestDto | null => {
  if (!isRecord(v)) return null;
  for (const k in v) if (!VEHICLE_FIELDS.has(k)) return null;
  if (typeof v.plate !== 'string' || !PLATE.test(v.plate)) return null;
  if (v.disinfectedAt !== undefined && !isTimestamp(v.disinfectedAt)) return null;
  return Object.assign(new VehicleRequestDto(), v);
};

/** The scan as the validation pipe would answer it when it is certainly valid; null when the pipe must judge it. */
export const precheckedScan = (raw: unknown): RecordScanRequestDto | null => {
  if (!isRecord(raw)) return null;
  for (const k in raw) {
    if (!FIELDS.has(k)) return null;
    const optional = OPTIONAL[k];
    // Left undefined (a scan built in code: EPCIS capture), an optional field is absent, as IsOptional takes it.
    if (optional !== undefined && raw[k] !== undefined && !optional(raw[k])) return null;
  }
  if (!isId(raw.scanId) || !isId(raw.traceCode) || !isId(raw.facilityId) || !ACTIONS.has(raw.action) || !isTimestamp(raw.occurredAt)) return null;
  if (raw.vehicle === undefined) return Object.assign(new RecordScanRequestDto(), raw);
  const vehicle = vehicleOf(raw.vehicle);
  return vehicle && Object.assign(new RecordScanRequestDto(), raw, { vehicle });
};
