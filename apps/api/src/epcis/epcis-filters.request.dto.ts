import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, Matches, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../common/http/timestamp.validator';
import { parseLocationUrn, parseLotClassUrn } from './epcis-identifiers';
import { ApiPropertyOptional } from '@nestjs/swagger';

/** EPCIS 2.0's event types; we export ObjectEvents and TransformationEvents, the others match nothing. */
export const EPCIS_EVENT_TYPES = ['ObjectEvent', 'AggregationEvent', 'TransactionEvent', 'TransformationEvent', 'AssociationEvent'] as const;

/** The most values one list parameter takes. */
const MAX_VALUES = 100;

/** A list parameter comes repeated (`?a=x&a=y`), comma-separated (`?a=x,y`), or both. */
const asList = ({ value }: { value: unknown }): unknown => {
  const values = Array.isArray(value) ? value : [value];
  return values.every((v) => typeof v === 'string') ? (values as string[]).flatMap((v) => v.split(',')).map((v) => v.trim()) : value;
};

@ValidatorConstraint({ name: 'isLotClassUrn' })
class IsLotClassUrn implements ValidatorConstraintInterface {
  validate = (v: unknown) => Array.isArray(v) && v.every((u) => typeof u === 'string' && parseLotClassUrn(u) !== null);
  defaultMessage = () => 'MATCH_anyEPCClass must list lot classes, urn:coldtrace:lot:<traceCode>';
}

@ValidatorConstraint({ name: 'isLocationUrn' })
class IsLocationUrn implements ValidatorConstraintInterface {
  validate = (v: unknown) => Array.isArray(v) && v.every((u) => typeof u === 'string' && parseLocationUrn(u) !== null);
  defaultMessage = () => '$property must list locations, urn:coldtrace:facility:<id> or urn:coldtrace:facility:<id>:zone:<zoneId>';
}

/** A CBV step, bare (`shipping`), as a URN or Web URI of CBV, or a URI of our own (`urn:coldtrace:bizstep:disinfecting`). */
const BIZ_STEP = /^(?:[a-z_]{1,64}|urn:epcglobal:cbv:bizstep:[a-z_]{1,64}|https:\/\/ref\.gs1\.org\/cbv\/BizStep-[a-z_]{1,64}|urn:coldtrace:bizstep:[a-z_]{1,64})$/;

/**
 * EPCIS 2.0 SimpleEventQuery parameters, the subset Coldtrace answers. Every
 * filter is optional and they combine with AND; values of one list, with OR.
 */
export class EpcisEventFiltersDto {
  /** Events naming any of these lot classes (in `quantityList`, or a transformation's input or output). */
  @ApiPropertyOptional({ type: [String], maxItems: MAX_VALUES, example: ['urn:coldtrace:lot:BEEF-2026-0001'], description: 'Lot classes, `urn:coldtrace:lot:<traceCode>` (repeated, or comma-separated)' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_VALUES)
  @Validate(IsLotClassUrn)
  MATCH_anyEPCClass?: string[];

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', enum: [...EPCIS_EVENT_TYPES] }, description: 'Repeated, or comma-separated' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(EPCIS_EVENT_TYPES.length)
  @IsIn(EPCIS_EVENT_TYPES, { each: true })
  eventType?: string[];

  /** Events that happened at or after this time (a full date and time with its zone). */
  @ApiPropertyOptional(apiTimestamp('Events that happened at or after this time'))
  @IsOptional()
  @IsTimestamp()
  GE_eventTime?: string;

  /** Events that happened before this time. */
  @ApiPropertyOptional(apiTimestamp('Events that happened before this time'))
  @IsOptional()
  @IsTimestamp()
  LT_eventTime?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: BIZ_STEP.source },
    maxItems: MAX_VALUES,
    description: 'Business steps: bare (`shipping`), CBV URN or Web URI, or `urn:coldtrace:bizstep:disinfecting` (repeated, or comma-separated)',
  })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_VALUES)
  @Matches(BIZ_STEP, { each: true, message: 'EQ_bizStep must list business steps (shipping, urn:epcglobal:cbv:bizstep:shipping, urn:coldtrace:bizstep:disinfecting)' })
  EQ_bizStep?: string[];

  /** Events whose business location is exactly one of these. */
  @ApiPropertyOptional({ type: [String], maxItems: MAX_VALUES, description: 'Business locations, exactly: `urn:coldtrace:facility:<id>` or `...:zone:<zoneId>` (repeated, or comma-separated)' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_VALUES)
  @Validate(IsLocationUrn)
  EQ_bizLocation?: string[];

  /** Events whose business location is one of these or inside it (a facility's zones). */
  @ApiPropertyOptional({ type: [String], maxItems: MAX_VALUES, description: "Business locations or inside them (a facility's zones) (repeated, or comma-separated)" })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_VALUES)
  @Validate(IsLocationUrn)
  WD_bizLocation?: string[];
}

/** A bare CBV step name from any of the forms EQ_bizStep takes (our own URIs stay whole). */
export const bareBizStep = (step: string): string => step.replace(/^urn:epcglobal:cbv:bizstep:/, '').replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-/, '');
