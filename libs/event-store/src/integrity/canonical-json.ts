/**
 * Canonical JSON in the spirit of RFC 8785 (JCS): object members sorted by
 * their keys' UTF-16 code units, no whitespace, numbers and strings exactly as
 * JSON.stringify writes them. Otherwise JSON.stringify's own rules (toJSON,
 * undefined members dropped, undefined in an array written as null, NaN and
 * Infinity as null), so a value hashes the same before it is stored as jsonb
 * and after it is read back: jsonb keeps neither key order nor number spelling.
 */
export const canonicalJson = (value: unknown): string => {
  const text = write(value, '');
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
};

const write = (value: unknown, key: string): string | undefined => {
  let v = value;
  if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map((item, i) => write(item, String(i)) ?? 'null').join(',')}]`;
  const members: string[] = [];
  // The default sort compares UTF-16 code units, as RFC 8785 asks.
  for (const k of Object.keys(v as object).sort()) {
    const member = write((v as Record<string, unknown>)[k], k);
    if (member !== undefined) members.push(`${JSON.stringify(k)}:${member}`);
  }
  return `{${members.join(',')}}`;
};
