import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';

/**
 * Digits after the decimal point of a finite number written out in full:
 * 1.25 has 2, 1e-7 has 7, 1.5e-7 has 8, 1e21 has none. JavaScript prints
 * very small and very large numbers in exponent notation, which
 * class-validator's `maxDecimalPlaces` does not read (1e-7 made it throw).
 */
export const decimalPlaces = (n: number): number => {
  const [mantissa, exponent = '0'] = String(n).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
};

/** A finite JSON number with at most `maxDecimalPlaces` digits after the point (exponent notation included). */
export const IsDecimalNumber = (maxDecimalPlaces: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isDecimalNumber',
      constraints: [maxDecimalPlaces],
      validator: {
        validate: (value: unknown) => typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= maxDecimalPlaces,
        defaultMessage: buildMessage((each) => `${each}$property must be a finite number with at most $constraint1 decimal places`, options),
      },
    },
    options,
  );

/** The OpenAPI form of an IsDecimalNumber field, for @ApiProperty (the decimal places are said in words: OpenAPI has no rule for them). */
export const apiDecimal = (maxDecimalPlaces: number, description?: string) =>
  ({ type: 'number', description: `${description ? `${description}; ` : ''}at most ${maxDecimalPlaces} decimal place${maxDecimalPlaces === 1 ? '' : 's'}` }) as const;
