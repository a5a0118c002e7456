/**
 * Arrays sent to PostgreSQL as one text each, an array literal written in one
 * go: the pg driver's own encoding of an array parameter escapes each element
 * and concatenates the literal piece by piece (flattened again to be sent),
 * which for 10,000 values cost more than the statement's own parsing of them.
 */

/** A one-dimensional array literal: each element quoted (a backslash or double quote in it escaped), null as NULL. */
export const arrayLiteral = (values: readonly unknown[]): string =>
  `{${values
    .map((v) => {
      const text = literalText(v);
      return text === null ? 'NULL' : NOTHING_TO_ESCAPE.test(text) ? `"${text}"` : `"${text.replace(/[\\"]/g, '\\$&')}"`;
    })
    .join(',')}}`;

const NOTHING_TO_ESCAPE = /^[^\\"]*$/;

/** Numbers, UUIDs, hex and ISO times as an array literal: nothing in them to quote, nor null. */
export const bareArrayLiteral = (values: readonly (string | number)[]): string => `{${values.join(',')}}`;

/**
 * An element's text as JSON.stringify and jsonb_to_recordset would have made
 * it: a Date as its ISO text, a non-finite number as null, an object as its JSON.
 */
const literalText = (v: unknown): string | null => {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
};
