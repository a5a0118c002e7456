import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isFullTimestamp } from '@app/domain';

/**
 * A full date and time with its time zone (the domain's rule, checked here
 * too so the error names the field): "2026", "2026-11" or a time without a
 * zone are guesses, not records.
 */
export const IsTimestamp = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isFullTimestamp(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a full date and time with its time zone, e.g. 2026-11-20T08:00:00Z`, options),
      },
    },
    options,
  );

/** The OpenAPI form of an IsTimestamp field, for @ApiProperty. */
export const apiTimestamp = (description?: string) =>
  ({ type: 'string', format: 'date-time', example: '2026-11-20T08:00:00Z', ...(description ? { description } : {}) }) as const;
