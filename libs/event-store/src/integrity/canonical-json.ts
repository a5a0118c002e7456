/**
 * Canonical JSON in the spirit of RFC 8785 (JCS): object members sorted by
 * their keys' UTF-16 code units, no whitespace, numbers and strings exactly as
 * JSON.stringify writes them. Otherwise JSON.stringify's own rules (toJSON,
 * undefined members dropped, undefined in an array written as null, NaN and
 * Infinity as null), so a value hashes the same before it is stored as jsonb
 * and after it is read back: jsonb keeps neither key order nor number spelling.
 */
export const canonicalJson = (value: unknown): string => {
  let text: string | undefined;
  try {
    // JSON.stringify itself, fed each object's members in sorted order: the same text as write() at a
    // tenth of the cost (hashing every event of a large append spent most of its time here).
    text = JSON.stringify(value, sortedMembers);
  } catch {
    // An object it cannot write sorted, or a value with no JSON form: the walk below writes it or says why.
    text = undefined;
  }
  if (text === undefined) text = write(value, '');
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
};

/** Objects list array-index keys ("0", "9", "10") first, in numeric order, whatever order they are set in. */
const INDEX_KEY = /^(?:0|[1-9][0-9]*)$/;

/**
 * JSON.stringify's replacer (it has applied toJSON already): each plain
 * object as a copy with its members set in sorted order, which JSON.stringify
 * then writes in that order. The copy has no prototype, so a `__proto__` key
 * is a member like any other. An object with an array-index key cannot be
 * reordered so: thrown, and the whole value goes to write().
 */
const sortedMembers = (_key: string, v: unknown): unknown => {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Number || v instanceof String || v instanceof Boolean) return v;
  const copy: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(v).sort()) {
    if (INDEX_KEY.test(k)) throw new Error('an array-index key');
    copy[k] = (v as Record<string, unknown>)[k];
  }
  return copy;
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
