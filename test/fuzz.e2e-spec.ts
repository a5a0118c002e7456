import { randomBytes } from 'node:crypto';
import type { Response, Test } from 'supertest';
import { MAX_CAPTURE_BYTES } from '../apps/api/src/epcis/capture/capture-limits';
import { controllerRoutes } from './support/routes';
import { createTestApp, TestApp } from './support/test-app';
import { minutesAgo } from './support/fixtures';

/**
 * Malformed requests at every write route the router serves, each sent with a
 * key of the role the route allows so that it reaches validation. Every case
 * is a valid body (or path) with one thing broken, generated field by field:
 * wrong types, missing and extra fields, numbers JSON.parse and class-validator
 * mishandle, lone UTF-16 surrogates, bytes that are not UTF-8 (in bodies,
 * paths and queries), prototype keys, deep nesting, bodies that are not JSON
 * objects, truncated JSON, other media types, unknown or malformed ids. None
 * may answer 5xx, every answer is a 4xx `{code, message}`, and none appends an
 * event. The unbroken bodies are then sent once to show that each refusal was
 * the mutation's doing. Last, every text field gets what a spreadsheet would
 * run as a formula: valid input (the exports neutralise it), so each is
 * accepted or refused for its field's own rules, never a 5xx, and a refused
 * one appends nothing.
 */

// JSON built by hand ------------------------------------------------------------

/** A JSON fragment written exactly as given: numbers JSON.stringify cannot write (1e309, -0), escapes, nesting built as text. */
class Raw {
  constructor(readonly text: string) {}
}
const raw = (text: string): Raw => new Raw(text);

type Json = null | boolean | number | string | Raw | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Path = readonly (string | number)[];

/** Like JSON.stringify, but writes Raw fragments verbatim; keys go through JSON.stringify (a lone surrogate becomes `\ud800`). */
const render = (v: Json): string => {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(render).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${render(x)}`).join(',')}}`;
  return JSON.stringify(v);
};

/** Own data properties only: `__proto__` is a key here, never the prototype. */
const define = (target: object, key: string | number, value: Json): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

const copy = (v: Json): Json => {
  if (v instanceof Raw || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copy);
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) define(out, k, copy(x));
  return out;
};

const at = (root: Json, path: Path): Json => path.reduce<Json>((v, k) => (v as JsonObject)[String(k)], root);

const label = (path: Path): string => (path.length === 0 ? '(root)' : path.join('.'));

const withValue = (base: JsonObject, path: Path, value: Json): JsonObject => {
  const c = copy(base) as JsonObject;
  define(at(c, path.slice(0, -1)) as object, path[path.length - 1], value);
  return c;
};

const without = (base: JsonObject, path: Path): JsonObject => {
  const c = copy(base) as JsonObject;
  const parent = at(c, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as JsonObject)[String(key)];
  return c;
};

const withKey = (base: JsonObject, objectPath: Path, key: string, value: Json): JsonObject => {
  const c = copy(base) as JsonObject;
  define(at(c, objectPath) as object, key, value);
  return c;
};

/** The field at `path` under another name, in the same place. */
const renamed = (base: JsonObject, path: Path, name: string): JsonObject => {
  const c = copy(base) as JsonObject;
  const parent = at(c, path.slice(0, -1)) as JsonObject;
  const entries = Object.entries(parent);
  for (const [k] of entries) delete parent[k];
  for (const [k, v] of entries) define(parent, k === path[path.length - 1] ? name : k, v);
  return c;
};

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
interface Field {
  readonly path: Path;
  readonly kind: Kind;
}

const kindOf = (v: Json): Kind => (Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : (typeof v as Kind));

/** Every field and array element of a body (arrays: their first element stands for the rest). */
const fieldsOf = (v: Json, path: Path = []): Field[] => {
  const children: [string | number, Json][] = Array.isArray(v) ? (v.length > 0 ? [[0, v[0]]] : []) : Object.entries(v as JsonObject);
  return children.flatMap(([k, x]) => {
    const p = [...path, k];
    const here = { path: p, kind: kindOf(x) };
    return x !== null && typeof x === 'object' && !(x instanceof Raw) ? [here, ...fieldsOf(x, p)] : [here];
  });
};

/** Paths of every object in a body, the body itself first. */
const objectsOf = (base: JsonObject): Path[] => [[], ...fieldsOf(base).filter((f) => f.kind === 'object').map((f) => f.path)];

// What is broken ------------------------------------------------------------------

interface Expected {
  readonly status: number;
  readonly code?: string;
}
const VALIDATION: Expected = { status: 400, code: 'VALIDATION_FAILED' };
const MALFORMED: Expected = { status: 400, code: 'MALFORMED_JSON' };
const MEDIA_TYPE: Expected = { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' };
const TOO_LARGE: Expected = { status: 413, code: 'PAYLOAD_TOO_LARGE' };
const ANY_4XX: Expected = { status: 0 };

interface Mutation {
  readonly name: string;
  /** A JSON value (rendered), raw text, raw bytes, or no body at all. */
  readonly body: JsonObject | string | Buffer | null;
  /** Absent: application/json; null: no Content-Type header. */
  readonly contentType?: string | null;
  readonly headers?: Record<string, string>;
  readonly expected: Expected;
}

/** Values of another type than the field's; null only where the field is required (null is "absent" for an optional one). */
const WRONG_TYPES: Record<Kind, Json[]> = {
  string: [42, -1.5, true, false, {}, [], ['x'], { value: 'x' }, raw('1e309')],
  number: ['1', '', 'NaN', true, {}, [], [1], { value: 1 }],
  boolean: ['true', 'false', '', 1, 0, {}, [], [true]],
  object: ['x', 1, true, [], [{}]],
  array: ['x', 1, true, {}, { 0: 'x' }],
};

/** Numbers JSON can carry that no field of ours takes (per field, `accepts` lists the ones it does). */
const EXTREME_NUMBERS = ['1e309', '-1e309', '1E+400', '1e-7', '-1e-7', '1.5e-7', '1e21', '-0', '9007199254740993', '123456789012345678901234567890'];

/** Lone UTF-16 surrogates as JSON escapes, which JSON.parse turns into unstorable strings. */
const LONE_SURROGATES = ['\\ud800', 'x\\udbff', '\\udc00y', '\\udfff\\ud800', 'ok\\ud83d'];
const LONE_SURROGATE_KEYS = ['\ud800', 'k\udfff'];

/** Byte sequences UTF-8 does not allow: latin1 é, a lead byte without its continuation, an encoded surrogate, overlong "/", beyond U+10FFFF, a cut sequence, bytes never used. */
const INVALID_UTF8: readonly (readonly number[])[] = [[0xe9], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe5, 0x86], [0xff], [0x80]];
const hexOf = (bytes: readonly number[]): string => bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** Stands in a rendered body where withBytes puts the bytes (a JS string cannot hold them). */
const BYTES_HERE = '@@BYTES@@';
const withBytes = (text: string, bytes: readonly number[]): Buffer => {
  const [before, after] = text.split(BYTES_HERE);
  return Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')]);
};

/** Percent escapes that decode to no UTF-8, for paths and queries. */
const INVALID_UTF8_ESCAPES = ['%E9', '%C3%28', '%ED%A0%80', '%C0%AF', '%F0%9F%98', '%FF'];

/** What a spreadsheet runs as a formula when a cell starts with it (OWASP): valid text for us, neutralised in exports. */
const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-1+1', '@SUM(1+1)', '\t=1+1', '\r=1+1', "'=1"];

const PROTOTYPE_KEYS: [string, Json][] = [
  ['__proto__', { polluted: true }],
  ['__proto__', null],
  ['__proto__', []],
  ['constructor', { prototype: { polluted: true } }],
  ['constructor', 'x'],
  ['prototype', { polluted: true }],
];

/** Unknown fields; those named like Object.prototype's members were once dropped silently instead of refused. */
const EXTRA_KEYS: [string, Json][] = [
  ['extra', 1],
  ['', ''],
  ['a.b', 1],
  ['toString', 'x'],
  ['hasOwnProperty', 1],
  ['valueOf', {}],
  ['isPrototypeOf', 1],
  ['__defineGetter__', 'x'],
  ['then', 'x'],
  ['n', raw('1e309')],
  ['k'.repeat(10_000), 1],
];

const nestedArrays = (depth: number): Raw => raw('['.repeat(depth) + ']'.repeat(depth));
const nestedObjects = (depth: number, leaf = '1'): Raw => raw('{"a":'.repeat(depth) + leaf + '}'.repeat(depth));

/** Content types a browser or a confused client might send; none is application/json. */
const OTHER_MEDIA_TYPES = ['text/plain', 'text/plain;charset=UTF-8', 'application/xml', 'text/json', 'application/json-patch+json', 'application/jsonx', 'application/vnd.api+json', 'application/octet-stream'];

const formOf = (body: JsonObject): string =>
  new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : render(v)])).toString();

const multipartOf = (body: JsonObject): string =>
  Object.entries(body)
    .map(([k, v]) => `--fz\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${typeof v === 'string' ? v : render(v)}\r\n`)
    .join('') + '--fz--\r\n';

/** Refused before any route code runs (media type, parser, input-shape check): safe even on a real target with no body schema. */
const transportMutations = (make: () => JsonObject, sizeLimit = 100 * 1024): Mutation[] => {
  const json = () => render(make());
  const text = json();
  return [
    // --- other media types
    ...OTHER_MEDIA_TYPES.map((contentType) => ({ name: `Content-Type ${contentType}`, body: json(), contentType, expected: MEDIA_TYPE })),
    { name: 'no Content-Type', body: json(), contentType: null, expected: MEDIA_TYPE },
    { name: 'form-encoded', body: formOf(make()), contentType: 'application/x-www-form-urlencoded', expected: MEDIA_TYPE },
    { name: 'multipart', body: multipartOf(make()), contentType: 'multipart/form-data; boundary=fz', expected: MEDIA_TYPE },
    // Read as UTF-16, as declared: these UTF-8 bytes are then not JSON.
    { name: 'UTF-8 bytes declared UTF-16', body: json(), contentType: 'application/json; charset=utf-16', expected: MALFORMED },
    { name: 'JSON in latin1', body: json(), contentType: 'application/json; charset=latin1', expected: MEDIA_TYPE },
    { name: 'Content-Encoding compress', body: json(), headers: { 'content-encoding': 'compress' }, expected: MEDIA_TYPE },
    { name: 'Content-Encoding gzip on a plain body', body: json(), headers: { 'content-encoding': 'gzip' }, expected: ANY_4XX },
    { name: 'a form body labelled application/json', body: formOf(make()), expected: MALFORMED },
    // --- not a JSON object
    { name: 'top-level []', body: '[]', expected: VALIDATION },
    { name: 'top-level [body]', body: `[${json()}]`, expected: VALIDATION },
    { name: 'top-level [[[]]]', body: '[[[]]]', expected: VALIDATION },
    ...['"text"', '""', '42', '-0', '1e309', 'true', 'null'].map((s) => ({ name: `top-level ${s}`, body: s, expected: MALFORMED })),
    // --- not JSON at all
    ...[1, 2, Math.floor(text.length / 4), Math.floor(text.length / 2), Math.floor((3 * text.length) / 4), text.length - 1].map((n) => ({
      name: `truncated to ${n} characters`,
      body: text.slice(0, n),
      expected: MALFORMED,
    })),
    { name: 'a trailing comma', body: `${text.slice(0, -1)},}`, expected: MALFORMED },
    { name: 'two objects', body: `${text}${text}`, expected: MALFORMED },
    { name: 'single quotes', body: text.replace(/"/g, "'"), expected: MALFORMED },
    { name: 'a comment', body: `/* c */${text}`, expected: MALFORMED },
    { name: 'NaN', body: `${text.slice(0, -1)},"n":NaN}`, expected: MALFORMED },
    { name: 'Infinity', body: `${text.slice(0, -1)},"n":Infinity}`, expected: MALFORMED },
    { name: 'a raw NUL between tokens', body: `${text.slice(0, -1)}\u0000}`, expected: MALFORMED },
    { name: 'an unterminated string', body: '{"a":"', expected: MALFORMED },
    // --- nested thousands deep (refused without recursion)
    ...[33, 2000, 15_000].map((d) => ({ name: `objects nested ${d} deep`, body: `{"a":${nestedObjects(d).text}}`, expected: VALIDATION })),
    ...[33, 50_000].map((d) => ({ name: `arrays nested ${d} deep`, body: nestedArrays(d).text, expected: VALIDATION })),
    { name: 'arrays nested past the size limit', body: nestedArrays(Math.ceil(sizeLimit / 2) + 10_000).text, expected: TOO_LARGE },
    // --- unstorable or dangerous anywhere, even in a field no route reads
    ...LONE_SURROGATES.map((s) => ({ name: `extra field holding "${s}"`, body: `${text.slice(0, -1)},"zz":"${s}"}`, expected: VALIDATION })),
    ...LONE_SURROGATE_KEYS.map((k) => ({ name: `key ${JSON.stringify(k)}`, body: withKey(make(), [], k, 'x'), expected: VALIDATION })),
    ...PROTOTYPE_KEYS.map(([k, v]) => ({ name: `${k}: ${render(v)} at the root`, body: withKey(make(), [], k, v), expected: VALIDATION })),
    { name: '1e309 in an extra field', body: withKey(make(), [], 'n', raw('1e309')), expected: VALIDATION },
    // --- bytes that are not UTF-8, refused before decoding would turn them into U+FFFD
    ...INVALID_UTF8.map((bytes) => ({ name: `bytes ${hexOf(bytes)} in an extra field`, body: withBytes(`${text.slice(0, -1)},"zz":"x${BYTES_HERE}"}`, bytes), expected: VALIDATION })),
    ...INVALID_UTF8.map((bytes) => ({ name: `bytes ${hexOf(bytes)} in a key`, body: withBytes(`{"k${BYTES_HERE}":1,${text.slice(1)}`, bytes), expected: VALIDATION })),
    { name: 'a 0xFF byte between tokens', body: withBytes(`${text.slice(0, -1)}${BYTES_HERE}}`, [0xff]), expected: VALIDATION },
  ];
};

/** One field at a time broken; needs a route whose body is validated (every field of the base is known to it). */
const fieldMutations = (make: () => JsonObject, optional: readonly string[], accepts: Record<string, readonly string[]>): Mutation[] => {
  const fields = fieldsOf(make());
  const isOptional = (f: Field) => optional.includes(label(f.path));
  const out: Mutation[] = [];
  for (const f of fields) {
    const name = label(f.path);
    for (const v of [...WRONG_TYPES[f.kind], ...(isOptional(f) ? [] : [null])]) {
      out.push({ name: `${name} = ${render(v)}`, body: withValue(make(), f.path, v), expected: VALIDATION });
    }
    if (!isOptional(f)) out.push({ name: `without ${name}`, body: without(make(), f.path), expected: VALIDATION });
    if (f.kind === 'number') {
      for (const n of EXTREME_NUMBERS.filter((x) => !(accepts[name] ?? []).includes(x))) {
        out.push({ name: `${name} = ${n}`, body: withValue(make(), f.path, raw(n)), expected: VALIDATION });
      }
    }
    if (f.kind === 'string') {
      for (const s of LONE_SURROGATES) out.push({ name: `${name} = "${s}"`, body: withValue(make(), f.path, raw(`"${s}"`)), expected: VALIDATION });
      for (const bytes of INVALID_UTF8) {
        out.push({ name: `${name} holding bytes ${hexOf(bytes)}`, body: withBytes(render(withValue(make(), f.path, raw(`"x${BYTES_HERE}"`))), bytes), expected: VALIDATION });
      }
    }
    if (typeof f.path[f.path.length - 1] === 'string') {
      out.push({ name: `${name} renamed with a lone surrogate`, body: renamed(make(), f.path, `${String(f.path[f.path.length - 1])}\ud800`), expected: VALIDATION });
      out.push({ name: `${name} renamed __proto__`, body: renamed(make(), f.path, '__proto__'), expected: VALIDATION });
    }
    out.push({ name: `${name} nested 3,000 arrays deep`, body: withValue(make(), f.path, nestedArrays(3000)), expected: VALIDATION });
    out.push({ name: `${name} nested 40 objects deep`, body: withValue(make(), f.path, nestedObjects(40, '"x"')), expected: VALIDATION });
  }
  for (const o of objectsOf(make())) {
    for (const [k, v] of [...PROTOTYPE_KEYS, ...EXTRA_KEYS, ...LONE_SURROGATE_KEYS.map((key): [string, Json] => [key, 'x'])]) {
      out.push({ name: `${label(o)} with key ${JSON.stringify(k.length > 20 ? `${k.slice(0, 8)}...(${k.length})` : k)}: ${render(v)}`, body: withKey(make(), o, k, v), expected: VALIDATION });
    }
  }
  out.push({ name: 'an empty object', body: {}, expected: VALIDATION });
  out.push({ name: 'no body at all', body: null, expected: VALIDATION });
  return out;
};

// The routes --------------------------------------------------------------------

interface World {
  readonly port: string;
  readonly warehouse: string;
  /** Lots held at the port, one per route that acts on a lot. */
  readonly lots: Record<'doc' | 'scan' | 'batch' | 'split' | 'merge1' | 'merge2' | 'lock' | 'unlock' | 'recall' | 'destroy' | 'resolve' | 'temps', string>;
  /** An open violation of the `resolve` lot (a scan at the warehouse while the port held it). */
  readonly violation: string;
  /** A live key the DELETE route is fuzzed against (and finally revokes). */
  readonly keyId: string;
  /** Webhook subscriptions (of the regulator's key the harness uses) the subscription routes are fuzzed against (and finally end). */
  readonly subscriptionId: string;
  readonly epcisSubscriptionId: string;
}

/** A public address (TEST-NET-3): a webhook target allowed without DNS. */
const HOOK_URL = 'https://203.0.113.10/hooks';

interface WriteRoute {
  /** As the router names it: `METHOD /path`. */
  readonly route: string;
  /** The route's URL for an id (the path parameter, if any). */
  readonly url: (id: string, w: World) => string;
  /** The real target of the route in the world (its path parameter), if it has one. */
  readonly target?: (w: World) => string;
  /** A valid body with fresh ids; absent when the route reads no body. */
  readonly base?: (w: World, fresh: string) => JsonObject;
  /** Fields (dotted paths) that may be left out or null. */
  readonly optional?: readonly string[];
  /** Extreme numbers a field legitimately takes. */
  readonly accepts?: Record<string, readonly string[]>;
  /** A batch: a malformed item may instead be refused on its own, in a 200 answer's results. */
  readonly perItem?: true;
  /** The route's body size limit, when not the default 100 kB. */
  readonly sizeLimit?: number;
  /**
   * Its body is judged by a JSON Schema not ours (EPCIS capture: GS1's), whose
   * refusal is its own code and which takes extensions anywhere: only the
   * transport cases apply (test/epcis-capture.e2e-spec.ts breaks its fields).
   */
  readonly transportOnly?: true;
}

const SCAN_OPTIONAL = ['zoneId', 'toFacilityId', 'vehicle', 'vehicle.disinfectedAt', 'quantity', 'unit', 'temperatureC'];

const scanBody = (w: World, traceCode: string, scanId: string): JsonObject => ({
  scanId,
  traceCode,
  facilityId: w.port,
  action: 'DISPATCH',
  occurredAt: minutesAgo(1),
  zoneId: 'DOCK-1',
  toFacilityId: w.warehouse,
  vehicle: { plate: 'TRUCK-9', disinfectedAt: minutesAgo(30) },
  quantity: 100,
  unit: 'KG',
  temperatureC: -18.5,
});

const WRITE_ROUTES: WriteRoute[] = [
  {
    route: 'POST /api/facilities',
    url: () => '/api/facilities',
    base: (_w, f) => ({ id: `FZ-F-${f}`, name: 'Fuzz depot', type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'Z-1', kind: 'DEDICATED_STORAGE' }] }),
    optional: ['zones.0'],
  },
  {
    route: 'POST /api/lots',
    url: () => '/api/lots',
    base: (w, f) => ({
      traceCode: `FZ-L-${f}`,
      product: { name: 'Frozen beef', category: 'FROZEN' },
      originCountry: 'BR',
      importer: 'Acme Imports Ltd',
      quantity: { amount: 100, unit: 'KG' },
      portOfEntryId: w.port,
      enteredAt: minutesAgo(600),
    }),
  },
  {
    route: 'POST /api/lots/:traceCode/documents',
    url: (id) => `/api/lots/${id}/documents`,
    target: (w) => w.lots.doc,
    base: (_w, f) => ({
      type: 'NUCLEIC_ACID_TEST',
      number: `NAT-${f}`,
      issuer: 'Port lab',
      issuedAt: minutesAgo(300),
      validUntil: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      result: 'NEGATIVE',
    }),
    optional: ['validUntil', 'result'],
  },
  {
    route: 'POST /api/scans',
    url: () => '/api/scans',
    base: (w, f) => scanBody(w, w.lots.scan, `FZ-S-${f}`),
    optional: SCAN_OPTIONAL,
    // 0 °C is a temperature like any other.
    accepts: { temperatureC: ['-0'] },
  },
  {
    route: 'POST /api/scans/batch',
    url: () => '/api/scans/batch',
    base: (w, f) => ({ scans: [scanBody(w, w.lots.batch, `FZ-B-${f}`)] }),
    optional: SCAN_OPTIONAL.map((o) => `scans.0.${o}`),
    accepts: { 'scans.0.temperatureC': ['-0'] },
    perItem: true,
    sizeLimit: 1024 * 1024,
  },
  {
    route: 'POST /api/epcis/capture',
    url: () => '/api/epcis/capture',
    base: (w, f) => ({
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: minutesAgo(0),
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventID: `urn:coldtrace:fuzz:${f}`,
            eventTime: minutesAgo(1),
            eventTimeZoneOffset: '+08:00',
            action: 'OBSERVE',
            bizStep: 'sampling',
            quantityList: [{ epcClass: `urn:coldtrace:lot:${w.lots.batch}` }],
            readPoint: { id: `urn:coldtrace:facility:${w.port}` },
          },
        ],
      },
    }),
    transportOnly: true,
    sizeLimit: MAX_CAPTURE_BYTES,
  },
  {
    route: 'POST /api/sightings',
    url: () => '/api/sightings',
    base: (w, f) => ({ traceCode: w.lots.scan, facilityId: w.port, occurredAt: minutesAgo(3), note: 'two cartons not on our delivery note', reportId: `FZ-SG-${f}` }),
    optional: ['reportId'],
  },
  {
    route: 'POST /api/lots/:traceCode/splits',
    url: (id) => `/api/lots/${id}/splits`,
    target: (w) => w.lots.split,
    base: (w, f) => ({ splitId: `FZ-SP-${f}`, children: [{ traceCode: `${w.lots.split}-${f}`, quantity: 10.5 }], occurredAt: minutesAgo(2) }),
    optional: ['occurredAt'],
  },
  {
    route: 'POST /api/lots/:traceCode/temperatures',
    url: (id) => `/api/lots/${id}/temperatures`,
    target: (w) => w.lots.temps,
    base: (w, f) => ({ deviceId: `FZ-T-${f}`, readings: [{ at: minutesAgo(3), celsius: -19.25 }, { at: minutesAgo(2), celsius: -18 }] }),
    // Without one of the two readings, the other is still an upload.
    optional: ['readings.0', 'readings.1'],
    accepts: { 'readings.0.celsius': ['-0'], 'readings.1.celsius': ['-0'] },
    sizeLimit: 1024 * 1024,
  },
  {
    route: 'POST /api/lots/merges',
    url: () => '/api/lots/merges',
    base: (w, f) => ({
      mergeId: `FZ-M-${f}`,
      traceCode: `FZ-ML-${f}`,
      facilityId: w.port,
      parents: [
        { traceCode: w.lots.merge1, quantity: 1.25 },
        { traceCode: w.lots.merge2, quantity: 2 },
      ],
      occurredAt: minutesAgo(2),
    }),
    optional: ['occurredAt'],
  },
  ...(['lock', 'unlock', 'destroy'] as const).map(
    (action): WriteRoute => ({
      route: `POST /api/lots/:traceCode/${action}`,
      url: (id) => `/api/lots/${id}/${action}`,
      target: (w) => w.lots[action],
      base: () => ({ reason: `fuzz ${action}` }),
    }),
  ),
  {
    route: 'POST /api/lots/:traceCode/recall',
    url: (id) => `/api/lots/${id}/recall`,
    target: (w) => w.lots.recall,
    base: (_w, f) => ({ reason: 'fuzz recall', recallId: `FZ-R-${f}` }),
    optional: ['recallId'],
  },
  {
    route: 'POST /api/lots/:traceCode/violations/:violationId/resolve',
    url: (id, w) => `/api/lots/${w.lots.resolve}/violations/${id}/resolve`,
    target: (w) => w.violation,
    base: (w) => ({ reason: 'fuzz resolve', correction: { facilityId: w.port, zoneId: 'DOCK-1', occurredAt: minutesAgo(3) } }),
    optional: ['correction', 'correction.zoneId', 'correction.occurredAt'],
  },
  {
    route: 'POST /api/keys',
    url: () => '/api/keys',
    base: (w, f) => ({ name: `fuzz-${f}`, role: 'OPERATOR', facilityIds: [w.port] }),
    optional: ['facilityIds'],
  },
  { route: 'DELETE /api/keys/:id', url: (id) => `/api/keys/${id}`, target: (w) => w.keyId },
  {
    route: 'POST /api/subscriptions',
    url: () => '/api/subscriptions',
    base: (w) => ({ url: HOOK_URL, events: ['lot.recalled'], facilityIds: [w.port], query: { traceCodes: [w.lots.scan] }, since: 0 }),
    optional: ['facilityIds', 'query', 'query.traceCodes', 'since'],
    accepts: { since: ['-0'] },
  },
  { route: 'DELETE /api/subscriptions/:id', url: (id) => `/api/subscriptions/${id}`, target: (w) => w.subscriptionId },
  {
    route: 'POST /api/epcis/queries/SimpleEventQuery/subscriptions',
    url: () => '/api/epcis/queries/SimpleEventQuery/subscriptions',
    base: () => ({ dest: HOOK_URL, signatureToken: 'fuzz-signature-token-0001', reportIfEmpty: false, stream: true, initialRecordTime: minutesAgo(5) }),
    optional: ['reportIfEmpty', 'initialRecordTime'],
  },
  {
    route: 'DELETE /api/epcis/queries/SimpleEventQuery/subscriptions/:subscriptionID',
    url: (id) => `/api/epcis/queries/SimpleEventQuery/subscriptions/${id}`,
    target: (w) => w.epcisSubscriptionId,
  },
  {
    route: 'POST /api/subscriptions/:id/deliveries/:deliveryId/retry',
    url: (id) => `/api/subscriptions/${id}/deliveries/00000000-0000-4000-8000-000000000000/retry`,
    target: (w) => w.subscriptionId,
  },
  {
    route: 'POST /api/audit/digest/verify',
    url: () => '/api/audit/digest/verify',
    base: () => ({ position: 1, digest: '0'.repeat(64) }),
  },
];

/** Path parameters that name nothing, or cannot name anything. */
const BAD_IDS = [
  { id: (f: string) => `FZ-NONE-${f}`, expected: ANY_4XX },
  { id: () => 'A'.repeat(10_000), expected: ANY_4XX },
  { id: () => 'A%00', expected: VALIDATION },
  ...INVALID_UTF8_ESCAPES.map((escape) => ({ id: () => `A${escape}`, expected: VALIDATION })),
  { id: () => '%2e%2e', expected: ANY_4XX },
  { id: () => 'a%20b', expected: ANY_4XX },
];

interface FuzzCase extends Mutation {
  readonly route: string;
  readonly perItem?: true;
  readonly method: 'post' | 'delete';
  readonly url: string;
}

const fresh = (): string => randomBytes(5).toString('hex');

const casesFor = (r: WriteRoute, w: World): FuzzCase[] => {
  const [method] = r.route.split(' ') as ['POST' | 'DELETE'];
  const targetUrl = r.url(r.target?.(w) ?? '', w);
  const make = (): JsonObject => (r.base ? r.base(w, fresh()) : { note: 'this route reads no body' });
  const body = r.base && !r.transportOnly ? [...fieldMutations(make, r.optional ?? [], r.accepts ?? {}), ...transportMutations(make, r.sizeLimit)] : transportMutations(make, r.sizeLimit);
  const paths = r.target ? BAD_IDS.map((b) => ({ name: `path id ${b.id('x').slice(0, 20)}`, body: r.base ? make() : null, url: r.url(b.id(fresh()), w), expected: b.expected })) : [];
  // No write route reads a query, but one that is not UTF-8 is refused before any route could.
  const queries = INVALID_UTF8_ESCAPES.map((escape) => ({ name: `query ?note=${escape}`, body: r.base ? make() : null, url: `${targetUrl}?note=${escape}`, expected: VALIDATION }));
  return [...body.map((m) => ({ ...m, url: targetUrl })), ...paths, ...queries].map((c) => ({ ...c, route: r.route, perItem: r.perItem, method: method.toLowerCase() as 'post' | 'delete' }));
};

// The run -----------------------------------------------------------------------

let t: TestApp;

const send = (c: FuzzCase): Test => {
  let req = t.http()[c.method](c.url);
  for (const [k, v] of Object.entries(c.headers ?? {})) req = req.set(k, v);
  if (c.body === null) return req;
  // Bytes as they are: superagent would re-encode a Buffer under a JSON type as JSON.
  if (Buffer.isBuffer(c.body)) return req.set('content-type', c.contentType ?? 'application/json').serialize(((b: Buffer) => b) as unknown as (obj: unknown) => string).send(c.body);
  const text = typeof c.body === 'string' ? c.body : render(c.body);
  // superagent sends a string as it is under the type set; it would JSON-encode a Buffer under a JSON type, and
  // give a string without a type its own (form), so only a body meant to go without a Content-Type is a Buffer.
  if (c.contentType === null) return req.send(Buffer.from(text, 'utf8'));
  return req.set('content-type', c.contentType ?? 'application/json').send(text);
};

/** Runs `fn` over `items`, `width` at a time. */
const pool = async <T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
};

const count = async (table: 'events' | 'event_streams' | 'idempotency_keys'): Promise<number> =>
  Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

const registeredRoutes = (): string[] => controllerRoutes(t.app);

describe('fuzz: malformed requests at every write route (e2e, real PostgreSQL)', () => {
  let w: World;
  let routes: WriteRoute[];

  beforeAll(async () => {
    t = await createTestApp();
    const port = `FZ-PORT-${fresh()}`;
    const warehouse = `FZ-CW-${fresh()}`;
    await t.http().post('/api/facilities').send({ id: port, name: 'Fuzz port', type: 'PORT_OF_ENTRY', zones: [{ id: 'DOCK-1', kind: 'GENERAL' }] }).expect(201);
    await t.http().post('/api/facilities').send({ id: warehouse, name: 'Fuzz warehouse', type: 'CENTRAL_WAREHOUSE', zones: [{ id: 'IN-1', kind: 'DEDICATED_INTAKE' }] }).expect(201);
    const lots = {} as Record<keyof World['lots'], string>;
    for (const name of ['doc', 'scan', 'batch', 'split', 'merge1', 'merge2', 'lock', 'unlock', 'recall', 'destroy', 'resolve', 'temps'] as const) {
      lots[name] = `FZ-${name.toUpperCase()}-${fresh()}`;
      await t
        .http()
        .post('/api/lots')
        .send({
          traceCode: lots[name],
          product: { name: 'Frozen beef', category: 'FROZEN' },
          originCountry: 'BR',
          importer: 'Acme Imports Ltd',
          quantity: { amount: 100, unit: 'KG' },
          portOfEntryId: port,
          enteredAt: minutesAgo(600),
        })
        .expect(201);
    }
    await t.http().post(`/api/lots/${lots.unlock}/lock`).send({ reason: 'held for the unlock route' }).expect(200);
    const keyId = (await t.issueKey('INSPECTOR', undefined, 'fuzz-target')).id;
    const stray = await t
      .http()
      .post('/api/scans')
      .send({ scanId: `FZ-STRAY-${fresh()}`, traceCode: lots.resolve, facilityId: warehouse, action: 'SAMPLE', occurredAt: minutesAgo(4) })
      .expect(201);
    const violation = `${stray.body.scanId}.CUSTODY_GAP`;
    const subscriptionId = (await t.http().post('/api/subscriptions').send({ url: HOOK_URL, events: ['lot.recalled'] }).expect(201)).body.id as string;
    const epcisSubscriptionId = (await t.http().post('/api/subscriptions').send({ url: HOOK_URL, events: ['lot.locked'] }).expect(201)).body.id as string;
    w = { port, warehouse, lots, keyId, violation, subscriptionId, epcisSubscriptionId };
    const served = new Set(registeredRoutes());
    routes = WRITE_ROUTES.filter((r) => served.has(r.route));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('knows every write route the router serves', () => {
    const known = new Set(WRITE_ROUTES.map((r) => r.route));
    // OPTIONS takes no body (the capture route's limits): nothing to fuzz.
    const writes = registeredRoutes().filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r));
    expect(writes.filter((r) => !known.has(r))).toEqual([]);
  });

  it('answers every malformed request with a 4xx {code, message}, never a 5xx, and appends nothing', async () => {
    const cases = routes.flatMap((r) => casesFor(r, w));
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    const before = { events: await count('events'), streams: await count('event_streams'), keys: await count('idempotency_keys') };

    const answers = await pool(cases, 6, async (c) => ({ c, res: (await send(c)) as Response }));

    const serverErrors = answers.filter(({ res }) => res.status >= 500);
    const show = ({ c, res }: { c: FuzzCase; res: Response }) => `${c.route} [${c.name}] -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    expect(serverErrors.map(show)).toEqual([]);
    // A batch may refuse the malformed scan alone: a 200 whose one result is refused, with the code a 4xx would carry.
    const refusedInBatch = ({ c, res }: { c: FuzzCase; res: Response }): boolean => {
      const results = res.body?.results as { status?: string; code?: unknown; message?: unknown }[] | undefined;
      const only = Array.isArray(results) && results.length === 1 ? results[0] : null;
      return (
        c.perItem === true &&
        res.status === 200 &&
        only?.status === 'refused' &&
        typeof only.code === 'string' &&
        typeof only.message === 'string' &&
        (c.expected.code === undefined || only.code === c.expected.code)
      );
    };
    const byRequest = answers.filter((a) => !refusedInBatch(a));
    const notRefused = byRequest.filter(({ res }) => res.status < 400 || res.status > 499);
    expect(notRefused.map(show)).toEqual([]);
    const withoutCode = byRequest.filter(({ res }) => typeof res.body?.code !== 'string' || typeof res.body?.message !== 'string');
    expect(withoutCode.map(show)).toEqual([]);
    const unexpected = byRequest.filter(
      ({ c, res }) => (c.expected.status !== 0 && res.status !== c.expected.status) || (c.expected.code !== undefined && res.body.code !== c.expected.code),
    );
    expect(unexpected.map(({ c, res }) => `${show({ c, res })} (expected ${c.expected.status} ${c.expected.code ?? ''})`)).toEqual([]);

    expect({ events: await count('events'), streams: await count('event_streams'), keys: await count('idempotency_keys') }).toEqual(before);
    // Nothing reached a prototype on the way.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const perRoute = Object.fromEntries(routes.map((r) => [r.route, cases.filter((c) => c.route === r.route).length]));
    const notUtf8 = cases.filter((c) => Buffer.isBuffer(c.body) || INVALID_UTF8_ESCAPES.some((e) => c.url.includes(e))).length;
    console.log(`fuzz: ${cases.length} malformed requests (${notUtf8} not UTF-8), all refused with a 4xx: ${JSON.stringify(perRoute)}`);
  });

  it('accepts the unbroken body of each route: every refusal above was the mutation, not the base', async () => {
    const accepted: Record<string, number> = {};
    for (const r of routes) {
      const [method] = r.route.split(' ');
      // A POST that reads no body (sending a dead delivery again) needs a dead delivery, not a body: its path cases are above.
      if (method === 'POST' && !r.base) continue;
      const res = await (method === 'DELETE' ? t.http().delete(r.url(r.target!(w), w)) : t.http().post(r.url(r.target?.(w) ?? '', w)).send(r.base!(w, fresh())));
      accepted[r.route] = res.status;
      if (r.perItem) expect(res.body.results.map((x: { status: string }) => x.status)).toEqual(['accepted']);
    }
    expect(Object.entries(accepted).filter(([, status]) => status < 200 || status > 299)).toEqual([]);
  });

  it('takes formula cells in every text field as text: never a 5xx, and a refused one appends nothing', async () => {
    const cases = routes
      .filter((r) => r.base && !r.transportOnly)
      .flatMap((r) => {
        const make = () => r.base!(w, fresh());
        const url = r.url(r.target?.(w) ?? '', w);
        return fieldsOf(make())
          .filter((f) => f.kind === 'string')
          .flatMap((f) => FORMULAS.map((formula) => ({ route: r.route, name: `${label(f.path)} = ${JSON.stringify(formula)}`, url, body: withValue(make(), f.path, formula) })));
      });
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const outcomes: Record<string, number> = {};
    const problems: string[] = [];
    // One at a time: a refused request must leave the counts exactly where they were, which only holds with nothing else in flight.
    for (const c of cases) {
      const before = { events: await count('events'), streams: await count('event_streams'), keys: await count('idempotency_keys') };
      const res: Response = await t.http().post(c.url).set('content-type', 'application/json').send(render(c.body));
      outcomes[res.status] = (outcomes[res.status] ?? 0) + 1;
      if (res.status >= 500) problems.push(`${c.route} [${c.name}] -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      if (res.status >= 400) {
        const after = { events: await count('events'), streams: await count('event_streams'), keys: await count('idempotency_keys') };
        if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`${c.route} [${c.name}] -> ${res.status} appended ${JSON.stringify({ before, after })}`);
        if (typeof res.body?.code !== 'string') problems.push(`${c.route} [${c.name}] -> ${res.status} without a code`);
      }
    }
    expect(problems).toEqual([]);
    // Free text takes them (names, reasons, issuers): some were accepted, as they should be.
    expect(Object.entries(outcomes).filter(([status]) => Number(status) < 300).length).toBeGreaterThan(0);
    console.log(`fuzz: ${cases.length} formula cells, answered ${JSON.stringify(outcomes)}`);
  });
});
