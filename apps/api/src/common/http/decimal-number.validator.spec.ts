import { validateSync } from 'class-validator';
import { decimalPlaces, IsDecimalNumber } from './decimal-number.validator';

class Amount {
  @IsDecimalNumber(3)
  value: unknown;
}

const valid = (value: unknown): boolean => validateSync(Object.assign(new Amount(), { value })).length === 0;

describe('decimalPlaces', () => {
  it.each([
    [0, 0],
    [-0, 0],
    [12, 0],
    [1.25, 2],
    [0.001, 3],
    [1e-7, 7],
    [1.5e-7, 8],
    [-2.5e-10, 11],
    [1e21, 0],
    [1.5e300, 0],
    [2 ** 53 + 1, 0],
    [0.1 + 0.2, 17],
    [Number.MIN_VALUE, 324],
  ])('%p has %p', (n, places) => expect(decimalPlaces(n)).toBe(places));
});

describe('IsDecimalNumber', () => {
  it('accepts finite numbers within the places', () => {
    for (const v of [1, 0.5, 1.125, 1e20, -3.001]) expect(valid(v)).toBe(true);
  });

  it('refuses, without throwing, what class-validator maxDecimalPlaces let through or choked on', () => {
    for (const v of [1e-7, 1.5e-7, 1.0001, 0.1 + 0.2, Infinity, -Infinity, NaN, '1', null, undefined, {}, [1], true]) expect(valid(v)).toBe(false);
  });
});
