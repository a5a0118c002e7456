import { QuantityUnit } from './lot.types';

/** Quantities are kept to 3 decimals (grams for KG); whole units for cartons and pieces. */
const SCALE = 1000;

/** a - b at the scale above (never -0). */
export const subtractQuantity = (a: number, b: number): number => Math.round(a * SCALE - b * SCALE) / SCALE + 0;

export const isValidAmount = (amount: number, unit: QuantityUnit): boolean => {
  if (!Number.isFinite(amount) || amount <= 0) return false;
  if (unit === 'KG') return Math.abs(Math.round(amount * SCALE) - amount * SCALE) < 1e-6;
  return Number.isInteger(amount);
};
