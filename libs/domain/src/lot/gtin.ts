import { invalid } from '../shared/domain-error';

/** GS1 GTINs come as GTIN-8, -12 (UPC), -13 (EAN) or -14; each ends in a check digit. */
const GTIN_LENGTHS = [8, 12, 13, 14];

/**
 * The GS1 check digit of a GTIN's other digits: from the right, weights 3
 * and 1 alternate; the check digit brings the sum to a multiple of 10.
 */
export const gtinCheckDigit = (body: string): number => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
};

/**
 * The GTIN-14 a GTIN stands for (shorter ones padded with leading zeros, as
 * GS1 Digital Link and EPCIS write them), or null when it is not a GTIN: not
 * 8, 12, 13 or 14 digits, or a wrong check digit.
 */
export const gtin14 = (raw: string): string | null => {
  if (!/^\d+$/.test(raw) || !GTIN_LENGTHS.includes(raw.length)) return null;
  if (gtinCheckDigit(raw.slice(0, -1)) !== Number(raw[raw.length - 1])) return null;
  return raw.padStart(14, '0');
};

/** A GTIN as stored on a lot: GTIN-14 always, so one product has one spelling whatever the label printed; 400 otherwise. */
export const normaliseGtin = (raw: string, field = 'product.gtin'): string => {
  const gtin = gtin14(raw);
  if (gtin === null) {
    throw invalid('VALIDATION_FAILED', `${field} must be a GTIN: 8, 12, 13 or 14 digits ending in a valid GS1 check digit`, { field });
  }
  return gtin;
};

/**
 * A GS1 batch/lot number (AI 10) is at most 20 characters of GS1's
 * character set 82; a trace code (ID_PATTERN: letters, digits, `.`, `_`,
 * `:`, `-`) is of that set already, so only its length can rule it out.
 */
export const BATCH_LOT_MAX_LENGTH = 20;
export const isBatchLot = (traceCode: string): boolean => traceCode.length >= 1 && traceCode.length <= BATCH_LOT_MAX_LENGTH && /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$/.test(traceCode);

/**
 * The GS1 Digital Link path of a lot (`/01/<GTIN-14>/10/<batch/lot>`), the
 * lot's trace code being its batch/lot; null for a lot with no GTIN or whose
 * code cannot be a batch/lot (a long child code of a repack).
 */
export const digitalLinkPath = (gtin: string | null | undefined, traceCode: string): string | null =>
  gtin && isBatchLot(traceCode) ? `/01/${gtin}/10/${encodeURIComponent(traceCode)}` : null;
