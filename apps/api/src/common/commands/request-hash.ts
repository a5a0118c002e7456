import { createHash } from 'node:crypto';

/** An array index as an object key: JSON.stringify puts these first, in numeric order, whatever order they were set in. */
const isIndex = (k: string): boolean => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
const byIndex = (a: string, b: string): number => Number(a) - Number(b);

/**
 * JSON.stringify of the value with every object's keys sorted and undefined
 * members left out, written directly: the same text as stringifying a sorted
 * copy (an object's index keys first, as JSON.stringify orders them), without
 * building the copy (a batch hashes 1000 requests).
 */
const canonicalText = (value: unknown): string | undefined => {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalText(v) ?? 'null').join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const ordered = keys.some(isIndex) ? [...keys.filter(isIndex).sort(byIndex), ...keys.filter((k) => !isIndex(k))] : keys;
    let text = '';
    for (const k of ordered) {
      const member = (value as Record<string, unknown>)[k];
      const t = member === undefined ? undefined : canonicalText(member);
      if (t !== undefined) text += `${text ? ',' : ''}${JSON.stringify(k)}:${t}`;
    }
    return `{${text}}`;
  }
  return JSON.stringify(value);
};

/** Same request, same hash, whatever the key order: tells a retry from a reused key. */
export const requestHash = (request: unknown): string =>
  createHash('sha256')
    .update(canonicalText(request) as string)
    .digest('hex');
