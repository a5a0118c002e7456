import { bearerToken } from './access-token';

describe('bearerToken', () => {
  const token = `ct_${'A'.repeat(43)}`;

  it('reads the scheme case-insensitively (RFC 7235)', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) expect(bearerToken(`${scheme} ${token}`)).toBe(token);
  });

  it('refuses another scheme, a missing or extra part, or a token that is not visible ASCII', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', token, `Basic ${token}`, `Bearerx ${token}`, `Bearer ${token} x`, `Bearer ${token}é`, `Bearer\t${token}`, ['Bearer x']]) {
      expect({ header, token: bearerToken(header) }).toEqual({ header, token: null });
    }
  });
});
