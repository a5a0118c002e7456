import { validationFailed } from './api-errors';

/** Deeper than this is not a cold-chain record: refused before any validator recurses into it. */
export const MAX_BODY_DEPTH = 32;
/**
 * Keys that would reach an object's prototype through a naive copy, and the
 * names of Object.prototype's members: never fields of ours, and
 * class-transformer silently drops a `toString` or `valueOf` key (its target
 * "has a method" there), so whitelisting would never see it as unknown.
 */
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
/** A UTF-16 surrogate without its pair: JSON allows it, PostgreSQL's jsonb and text do not. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What, if anything, makes this text unstorable: U+0000 or a lone surrogate. */
export const unstorableText = (s: string): string | null => {
  if (s.includes('\u0000')) return 'must not contain U+0000';
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone UTF-16 surrogate';
  return null;
};

const refuse = (field: string, message: string) =>
  validationFailed(`${field || 'body'}: ${message}`, { errors: [{ field: field || 'body', messages: [message] }] });

/**
 * Checks a parsed JSON body before any validator or rule sees it, without
 * recursion (a body nested 50,000 deep must not blow the stack): a JSON object
 * at the top, at most MAX_BODY_DEPTH deep, no prototype keys, no text
 * PostgreSQL cannot store, and no number JSON.parse turned into Infinity.
 */
export const assertStorableBody = (body: unknown): void => {
  if (body === undefined) return;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw refuse('body', 'must be a JSON object');
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = unstorableText(value);
      if (problem) throw refuse(path, problem);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw refuse(path, 'must be a finite number');
    } else if (value !== null && typeof value === 'object') {
      if (depth > MAX_BODY_DEPTH) throw refuse(path, `is nested deeper than ${MAX_BODY_DEPTH} levels`);
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const childPath = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key)) throw refuse(childPath, 'is not a known field');
        const keyProblem = unstorableText(key);
        if (keyProblem) throw refuse(childPath, `field name ${keyProblem}`);
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
};
