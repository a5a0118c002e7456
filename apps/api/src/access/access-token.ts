import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `ct_` and 32 random bytes (256 bits) in base64url: easy to spot in a leaked log, and URL-safe. */
export const TOKEN_PATTERN = /^ct_[A-Za-z0-9_-]{43}$/;

export const newToken = (): string => `ct_${randomBytes(32).toString('base64url')}`;

/** Tokens are random, so a plain SHA-256 is enough to store them (no slow KDF on every request). */
export const tokenDigest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares two secrets in constant time (by their digests, so lengths never leak). */
export const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a, 'utf8').digest(), createHash('sha256').update(b, 'utf8').digest());

/**
 * The token of an `Authorization: Bearer <token>` header, or null when the
 * header is missing or malformed. The scheme's name is case-insensitive
 * (RFC 7235, section 2.1): `bearer` and `BEARER` are Bearer.
 */
export const bearerToken = (header: string | string[] | undefined): string | null => {
  // `Bearer`, one space, the token: compared, not matched with a capturing pattern (every keyed request reads it).
  if (typeof header !== 'string' || header.charCodeAt(6) !== 0x20 || header.slice(0, 6).toLowerCase() !== 'bearer') return null;
  const token = header.slice(7);
  return VISIBLE_ASCII_TOKEN.test(token) ? token : null;
};

/** What a bearer token may be here: 1 to 512 visible ASCII characters. */
const VISIBLE_ASCII_TOKEN = /^[\x21-\x7e]{1,512}$/;
