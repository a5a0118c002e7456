import { createHash } from 'node:crypto';
import { requestHash } from './request-hash';

/** The hash as it was first defined (every recorded idempotency key holds one): a sorted copy, stringified. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};
const firstHash = (request: unknown): string => createHash('sha256').update(JSON.stringify(canonical(request))).digest('hex');

class Dto {
  scanId = 'S-1';
  zoneId: string | undefined = undefined;
  vehicle = { plate: 'AB', disinfectedAt: undefined as string | undefined };
}

describe('requestHash', () => {
  it.each([
    [{ b: 1, a: 'x', c: null, d: undefined }],
    [{ scanId: 'S-1', traceCode: 'L', action: 'SAMPLE', quantity: 1.5, temperatureC: -18.5, unit: undefined }],
    [{ nested: { z: [1, { y: 2, x: [undefined, null, 'é"\\\n'] }], a: true }, list: [] }],
    [{ 10: 'ten', 2: 'two', b: 1, a: 0, '01': 'not an index', '-1': 'neither', 4294967295: 'nor this' }],
    [{ f: () => 1, s: Symbol('s'), n: Number.NaN, i: Number.POSITIVE_INFINITY, arr: [() => 1, undefined] }],
    [{ when: new Date('2026-11-20T08:00:00Z'), empty: {} }],
    [new Dto()],
    [[3, 'a', { k: 1 }]],
    ['text'],
    [42],
    [null],
  ])('hashes %p as the sorted copy did', (value) => {
    expect(requestHash(value)).toBe(firstHash(value));
  });

  it('does not depend on key order', () => {
    expect(requestHash({ a: 1, b: { c: 2, d: 3 } })).toBe(requestHash({ b: { d: 3, c: 2 }, a: 1 }));
  });
});
