import { randomBytes } from 'node:crypto';
import { ApiError } from './api-errors';
import { assertUtf8Url, invalidUtf8At, refuseInvalidUtf8Body } from './input-shape';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const wellFormed = (bytes: Uint8Array): boolean => {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

const refusal = (fn: () => void): { code: string; errors: unknown } | null => {
  try {
    fn();
    return null;
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    return { code: e.code, errors: e.details?.errors };
  }
};

describe('invalid UTF-8 (refused, never turned into U+FFFD)', () => {
  it('finds the first byte that is not well-formed UTF-8', () => {
    expect(invalidUtf8At(Buffer.from('冷冻牛腩 ok 🐟', 'utf8'))).toBeNull();
    expect(invalidUtf8At(Buffer.from([]))).toBeNull();
    const cases: [number[], number][] = [
      [[0x61, 0xc3, 0x28], 1], // a lead byte without its continuation
      [[0xe9], 0], // latin1 é
      [[0xc0, 0xaf], 0], // overlong "/"
      [[0xe0, 0x80, 0xaf], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // an encoded surrogate (U+D800)
      [[0xf4, 0x90, 0x80, 0x80], 0], // beyond U+10FFFF
      [[0x41, 0xf0, 0x9f, 0x98], 1], // a cut 4-byte sequence
      [[0x80], 0], // a continuation byte alone
      [[0xff], 0],
    ];
    for (const [bytes, at] of cases) expect({ bytes, at: invalidUtf8At(Uint8Array.from(bytes)) }).toEqual({ bytes, at });
  });

  it('agrees with a strict decoder on random bytes', () => {
    for (let i = 0; i < 5000; i++) {
      // Mostly valid text with a few random bytes in it, so both outcomes are common.
      const bytes = Buffer.concat([Buffer.from('név 名', 'utf8'), randomBytes(i % 7), Buffer.from('é', 'utf8')]);
      expect(invalidUtf8At(bytes) === null).toBe(wellFormed(bytes));
    }
  });

  it('refuses a UTF-8 body with a bad byte as 400 VALIDATION_FAILED naming the byte; leaves other charsets to their decoder', () => {
    const bad = Buffer.concat([Buffer.from('{"reason":"bad '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(refusal(() => refuseInvalidUtf8Body({} as never, {}, bad, 'utf-8'))).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body', messages: ['is not valid UTF-8 (byte 0xC3 at offset 15)'] }],
    });
    expect(refusal(() => refuseInvalidUtf8Body({} as never, {}, Buffer.from('{"reason":"好"}'), 'utf-8'))).toBeNull();
    expect(refusal(() => refuseInvalidUtf8Body({} as never, {}, bad, 'utf-16le'))).toBeNull();
  });

  it('refuses a path or query whose percent escapes are not UTF-8, and takes those that are', () => {
    expect(refusal(() => assertUtf8Url('/api/lots/A%C3%28'))).toEqual({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'path', messages: ['is not valid UTF-8 once percent-decoded (byte 0xC3)'] }],
    });
    expect(refusal(() => assertUtf8Url('/api/lots?facilityId=%E9'))?.errors).toEqual([{ field: 'query', messages: ['is not valid UTF-8 once percent-decoded (byte 0xE9)'] }]);
    expect(refusal(() => assertUtf8Url('/api/lots?%ED%A0%80=1'))?.code).toBe('VALIDATION_FAILED');
    for (const fine of ['/api/lots', '/api/lots/%E5%86%B7%E5%86%BB', '/api/lots?q=%25&r=100%', '/api/lots?x=%zz', '/api/lots?name=%F0%9F%90%9F']) {
      expect({ fine, refused: refusal(() => assertUtf8Url(fine)) }).toEqual({ fine, refused: null });
    }
  });
});
