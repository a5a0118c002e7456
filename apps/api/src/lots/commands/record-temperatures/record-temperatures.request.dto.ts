import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { isFullTimestamp } from '@app/domain';
import { apiTimestamp } from '../../../common/http/timestamp.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';
import { Matches } from 'class-validator';

export const MAX_READINGS_PER_UPLOAD = 10_000;
/** Beyond these no cold chain logs: a typo (or Fahrenheit sent as Celsius). */
export const MIN_CELSIUS = -80;
export const MAX_CELSIUS = 60;

/** What is wrong with the readings, naming the first bad one; null when they are fine. */
export const readingsProblem = (value: unknown): string | null => {
  if (!Array.isArray(value)) return 'readings must be an array of {at, celsius}';
  if (value.length === 0) return 'readings must hold at least one reading';
  if (value.length > MAX_READINGS_PER_UPLOAD) return `readings must hold at most ${MAX_READINGS_PER_UPLOAD} readings a request (got ${value.length}); send the rest in further requests`;
  // One pass, no object per reading: a logger's 10,000 readings are checked in a few milliseconds.
  for (let i = 0; i < value.length; i++) {
    const r: unknown = value[i];
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return `readings[${i}] must be an object {at, celsius}`;
    for (const key of Object.keys(r)) if (key !== 'at' && key !== 'celsius') return `readings[${i}].${key} is not a field of a reading (at, celsius)`;
    const { at, celsius } = r as { at?: unknown; celsius?: unknown };
    if (typeof at !== 'string' || !isFullTimestamp(at)) return `readings[${i}].at must be a full date and time with its time zone, e.g. 2026-11-20T08:00:00Z`;
    if (typeof celsius !== 'number' || !Number.isFinite(celsius) || celsius < MIN_CELSIUS || celsius > MAX_CELSIUS) {
      return `readings[${i}].celsius must be a number of degrees Celsius from ${MIN_CELSIUS} to ${MAX_CELSIUS}`;
    }
    if (Math.round(celsius * 100) / 100 !== celsius) return `readings[${i}].celsius may have at most 2 decimals`;
  }
  return null;
};

export class TemperatureReadingDto {
  @ApiProperty(apiTimestamp('When the device took the reading'))
  at: string;

  @ApiProperty({ type: 'number', minimum: MIN_CELSIUS, maximum: MAX_CELSIUS, multipleOf: 0.01, example: -19.5, description: 'Degrees Celsius' })
  celsius: number;
}

export class RecordTemperaturesRequestDto {
  /** The logger (reefer, cold room, truck): a reading is known by its device and time. */
  @ApiProperty(apiId('The logger (reefer, cold room, truck); a reading is known by (deviceId, at), so a resend records nothing'))
  @Matches(ID_PATTERN, { message: `deviceId ${ID_RULE}` })
  deviceId: string;

  @ApiProperty({ type: () => [TemperatureReadingDto], minItems: 1, maxItems: MAX_READINGS_PER_UPLOAD, description: 'The readings, in any order' })
  @ValidateBy({
    name: 'isTemperatureReadings',
    validator: { validate: (value: unknown) => readingsProblem(value) === null, defaultMessage: (args) => readingsProblem(args?.value) ?? 'readings are invalid' },
  })
  readings: TemperatureReadingDto[];

  /**
   * A valid upload, answered without class-transformer and class-validator
   * (see validation.pipe's Prechecked): they copied and walked each of up to
   * 10,000 readings again after readingsProblem had checked them, about a
   * sixth of an upload's CPU in the bench's row 8a. Yes only where the
   * decorators would say yes, the same instance (the spec compares the two);
   * anything else goes to the pipe, which gives the exact errors.
   */
  static precheck(raw: unknown): RecordTemperaturesRequestDto | null {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
    for (const k in raw) if (k !== 'deviceId' && k !== 'readings') return null;
    const { deviceId, readings } = raw as { deviceId?: unknown; readings?: unknown };
    if (typeof deviceId !== 'string' || !ID_PATTERN.test(deviceId) || readingsProblem(readings) !== null) return null;
    return Object.assign(new RecordTemperaturesRequestDto(), raw);
  }
}
