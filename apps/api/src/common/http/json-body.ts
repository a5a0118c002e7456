import type { IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { MAX_CAPTURE_BYTES, refuseTooManyEvents } from '../../epcis/capture/capture-limits';
import { ApiError } from './api-errors';
import { assertStorableBody, refuseInvalidUtf8Body } from './input-shape';

const EPCIS_CAPTURE_PATH = '/api/epcis/capture';
/** A logger's upload: up to 10,000 readings, about 500 kB. */
const TEMPERATURES_PATH = /^\/api\/lots\/[^/]+\/temperatures$/;
const JSON_ONLY = ['application/json'];
/** EPCIS capture also takes GS1's own media type for a document, JSON-LD (a form cannot send it either). */
const JSON_OR_JSON_LD = ['application/json', 'application/ld+json'];

export interface BodyLimit {
  readonly bytes: number;
  readonly types: readonly string[];
  /** The route's look at the raw bytes before they are parsed. */
  readonly capture: boolean;
}

/** Every body stays small but three: a batch of 1000 scans and a temperature upload are a few hundred kB, an EPCIS document of a day's events as large. */
const DEFAULT_LIMIT: BodyLimit = { bytes: 100 * 1024, types: JSON_ONLY, capture: false };
const BATCH_LIMIT: BodyLimit = { bytes: 1024 * 1024, types: JSON_ONLY, capture: false };
const CAPTURE_LIMIT: BodyLimit = { bytes: MAX_CAPTURE_BYTES, types: JSON_OR_JSON_LD, capture: true };

export const BODY_LIMITS = {
  largest: Math.max(DEFAULT_LIMIT.bytes, BATCH_LIMIT.bytes, CAPTURE_LIMIT.bytes),
  tooLarge: () => new ApiError(413, 'PAYLOAD_TOO_LARGE', 'the request body is too large'),
};

/** The limit and media types of the route a path names (a trailing slash names the same route). */
export const bodyLimitFor = (path: string): BodyLimit => {
  const route = path.endsWith('/') ? path.slice(0, -1) : path;
  if (route === EPCIS_CAPTURE_PATH) return CAPTURE_LIMIT;
  if (route === '/api/scans/batch' || TEMPERATURES_PATH.test(route)) return BATCH_LIMIT;
  return DEFAULT_LIMIT;
};

/** `type/subtype` of a Content-Type header, lower-cased, or null when there is none or it is not one. */
export const mediaTypeOf = (header: string | undefined): string | null => {
  if (header === undefined) return null;
  const type = header.split(';', 1)[0].trim().toLowerCase();
  return /^[a-z0-9!#$%&'*+.^_`|~-]+\/[a-z0-9!#$%&'*+.^_`|~-]+$/.test(type) ? type : null;
};

/** A parameter of a Content-Type header (`charset`), lower-cased and unquoted, or null. */
const parameterOf = (header: string | undefined, name: string): string | null => {
  for (const part of (header ?? '').split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name) return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return null;
};

/** Names what was received (cut short: it is the caller's text) and what is accepted. */
const unsupported = (what: string, received: string, accepted: string) =>
  new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `the request body's ${what} ${JSON.stringify(received.slice(0, 100))} is not supported; use ${accepted}`);
const malformed = () => new ApiError(400, 'MALFORMED_JSON', 'the request body is not valid JSON');

const INFLATE: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Buffer> = { gzip: gunzipSync, 'x-gzip': gunzipSync, deflate: inflateSync, br: brotliDecompressSync };

/** The body as sent, unpacked when it says it is compressed (gzip, deflate, br), never past the route's limit. */
const decoded = (headers: IncomingHttpHeaders, body: Buffer, limit: number): Buffer => {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return body;
  const inflate = INFLATE[encoding];
  if (!inflate) throw unsupported('content encoding', encoding, 'gzip, deflate, br or none');
  try {
    return inflate(body, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw BODY_LIMITS.tooLarge();
    throw malformed();
  }
};

/** UTF-16 as declared is decoded so (its bytes then make no JSON if they were UTF-8); any other charset is refused. */
const UTF16: Record<string, string> = { 'utf-16': 'utf-16le', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be' };

/** Only objects and arrays at the top (body-parser's strict mode): `"text"` or `42` is no request. */
const STRICT_START = /^[\x20\x09\x0a\x0d]*[[{]/;

/**
 * The one JSON body parser: the route's size limit, compressed bodies
 * unpacked, the bytes checked to be UTF-8 before decoding (decoding would turn
 * a bad byte into U+FFFD), an EPCIS document's events counted before it is
 * parsed, then strict JSON, then the input-shape checks (depth, prototype
 * keys, unstorable text) before any validator recurses into it.
 */
export const parseJsonBody = (path: string, headers: IncomingHttpHeaders, raw: Buffer): unknown => {
  const limit = bodyLimitFor(path);
  if (raw.length > limit.bytes) throw BODY_LIMITS.tooLarge();
  const body = decoded(headers, raw, limit.bytes);
  const charset = parameterOf(headers['content-type'], 'charset') ?? 'utf-8';
  let text: string;
  if (charset === 'utf-8' || charset === 'utf8') {
    refuseInvalidUtf8Body(null, null, body, 'utf-8');
    if (limit.capture) refuseTooManyEvents(null, null, body, 'utf-8');
    text = body.toString('utf8');
  } else if (UTF16[charset]) {
    text = new TextDecoder(UTF16[charset]).decode(body);
  } else {
    throw unsupported('charset', charset, `utf-8 or ${Object.keys(UTF16).join(', ')}`);
  }
  if (text.length === 0) return {};
  if (!STRICT_START.test(text)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed();
  }
  assertStorableBody(parsed);
  return parsed;
};
