import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('sorts keys by UTF-16 code units, not by code point or locale', () => {
    // U+FF61 is one code unit (0xFF61); U+1F600 is the surrogate pair 0xD83D 0xDE00, so it sorts first.
    expect(canonicalJson({ '\uff61': 1, '\u{1f600}': 2, B: 3, a: 4, é: 5 })).toBe('{"B":3,"a":4,"é":5,"😀":2,"｡":1}');
  });

  it('writes numbers as JSON.stringify does (shortest round trip), non-finite ones as null', () => {
    expect(canonicalJson([1e21, 1e-7, 0.1 + 0.2, -0, 2.5, 1200, NaN, Infinity])).toBe('[1e+21,1e-7,0.30000000000000004,0,2.5,1200,null,null]');
  });

  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalJson({ s: 'tab\t "q" \\ \u0001 冷链 \ud800' })).toBe('{"s":"tab\\t \\"q\\" \\\\ \\u0001 冷链 \\ud800"}');
  });

  it('drops undefined members, writes undefined array items as null, honours toJSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1], c: new Date('2026-11-20T08:00:00Z') })).toBe(
      '{"b":[null,null],"c":"2026-11-20T08:00:00.000Z"}',
    );
  });

  it('is what JSON.stringify writes whenever the keys are already sorted', () => {
    const value = { a: [1, 'two', { b: false, c: null }], d: { e: -3.25e-12, f: '' } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  it('gives the same text for a value and its JSON round trip in any key order', () => {
    const value = { z: { y: 1, x: [1, 2] }, a: 'α' };
    const reordered = JSON.parse('{"a":"α","z":{"x":[1,2],"y":1}}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(reordered));
  });

  it('refuses a BigInt and a value with no JSON form', () => {
    expect(() => canonicalJson({ n: BigInt(1) })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('sorts keys that look like array indexes as text too, and treats __proto__ and boxed values as plain JSON does', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', ' ': 'c', x: { 2: 1, 1: 2 } })).toBe('{" ":"c","10":"a","9":"b","x":{"1":2,"2":1}}');
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"y":1,"x":2}}'))).toBe('{"__proto__":{"x":2,"y":1},"b":1}');
    expect(canonicalJson({ n: new Number(2), s: new String('x'), b: new Boolean(false), d: [new Number(NaN)] })).toBe('{"b":false,"d":[null],"n":2,"s":"x"}');
    expect(canonicalJson({ t: { toJSON: (key: string) => ({ key, b: 1, a: 2 }) } })).toBe('{"t":{"a":2,"b":1,"key":"t"}}');
  });
});
