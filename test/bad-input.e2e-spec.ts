import type { Response, Test } from 'supertest';
import { createTestApp, TestApp } from './support/test-app';
import {
  attachDocument,
  inDays,
  minutesAgo,
  Network,
  registerLot,
  registerNetwork,
  scanBody,
  ScanInput,
  scanOk,
  uid,
} from './support/fixtures';

/**
 * Bad input, one kind per row: each is answered with the right 4xx and the
 * right machine-readable code, never a 500, and leaves no trace — the global
 * event log, the streams involved, the stream and idempotency-key tables are
 * exactly as they were before the request.
 */

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** What beforeAll sets up once; no row may change any of it. */
interface World {
  readonly n: Network;
  /** 100 KG held at the port of entry, one DISINFECTION paper, one SAMPLE scan. */
  readonly atPort: string;
  /** 10 CARTON held at the port of entry. */
  readonly cartons: string;
  /** Received at the central warehouse without any papers. */
  readonly atWarehouse: string;
  /** Locked by a regulator. */
  readonly locked: string;
  /** 100 KG held at the port of entry, 10 KG of it split off by recordedSplit. */
  readonly splitParent: string;
  /** A split already recorded for splitParent (its splitId is taken). */
  readonly recordedSplit: { readonly splitId: string; readonly children: readonly { readonly traceCode: string; readonly quantity: number }[] };
  /** Destroyed by a regulator while held at the port of entry. */
  readonly destroyed: string;
  /** The DISINFECTION paper already on file for atPort. */
  readonly doc: { readonly number: string; readonly issuedAt: string };
  /** A scan already recorded for atPort (its scanId is taken). */
  readonly recordedScan: ReturnType<typeof scanBody>;
}

interface BadInput {
  readonly name: string;
  readonly status: 400 | 403 | 404 | 409 | 422;
  readonly code: string;
  /** `fresh` is a trace code / id never used before, unique to the row. */
  readonly request: (w: World, fresh: string) => Test;
  /** Streams whose version must not move (a missing stream must stay missing: version 0). */
  readonly streams?: (w: World, fresh: string) => string[];
  /** A field the error must name: details.field (domain) or one of details.errors[].field (validation). */
  readonly field?: string;
  readonly check?: (body: ErrorBody, w: World) => void;
}

const lotStream = (traceCode: string): string => `lot-${traceCode}`;
const facilityStream = (id: string): string => `facility-${id}`;

let t: TestApp;
let w: World;

// Request builders -----------------------------------------------------------

const post = (path: string, body: string | object): Test => t.http().post(path).send(body);
const postRawJson = (path: string, raw: string): Test => t.http().post(path).set('content-type', 'application/json').send(raw);
const get = (path: string): Test => t.http().get(path);

/** Where postBytes puts its bytes: this text, in a field of the body. */
const BYTES_HERE = '@@';
/**
 * The body as JSON bytes with `bytes` (not UTF-8) where BYTES_HERE stands, sent as they are
 * (superagent would re-encode a Buffer as JSON, and a JS string cannot hold them).
 */
const postBytes = (path: string, body: object, bytes: readonly number[]): Test => {
  const [before, after] = JSON.stringify(body).split(BYTES_HERE);
  const raw = Buffer.concat([Buffer.from(before, 'utf8'), Buffer.from(bytes), Buffer.from(after, 'utf8')]);
  return t.http().post(path).set('content-type', 'application/json').serialize(((b: Buffer) => b) as unknown as (obj: unknown) => string).send(raw);
};

const lotBody = (n: Network, traceCode: string, override: Record<string, unknown> = {}): Record<string, unknown> => ({
  traceCode,
  product: { name: 'Frozen beef', category: 'FROZEN' },
  originCountry: 'BR',
  importer: 'Acme Imports Ltd',
  quantity: { amount: 100, unit: 'KG' },
  portOfEntryId: n.port,
  enteredAt: minutesAgo(600),
  ...override,
});

const facilityBody = (id: string, override: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  name: 'Retail store',
  type: 'RETAIL_STORE',
  zones: [{ id: 'SALES-1', kind: 'DEDICATED_SALES' }],
  ...override,
});

const docBody = (override: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'INSPECTION_QUARANTINE',
  number: `IQ-${uid()}`,
  issuer: 'Customs',
  issuedAt: minutesAgo(300),
  ...override,
});

/** A scan of `traceCode` with a fresh scanId; `override` may add, replace or (with undefined) drop fields. */
const scanOf = (s: ScanInput, override: Record<string, unknown> = {}): Record<string, unknown> =>
  JSON.parse(JSON.stringify({ ...scanBody(s), ...override })) as Record<string, unknown>;
const postScan = (s: ScanInput, override: Record<string, unknown> = {}): Test => post('/api/scans', scanOf(s, override));

/** A split into one fresh child `${fresh}-A` of 10; `override` may add, replace or (with undefined) drop fields. */
const splitBody = (fresh: string, override: Record<string, unknown> = {}): Record<string, unknown> =>
  JSON.parse(JSON.stringify({ splitId: `SPLIT-${fresh}`, children: [{ traceCode: `${fresh}-A`, quantity: 10 }], ...override })) as Record<string, unknown>;
const splitReq = (traceCode: string, body: object): Test => post(`/api/lots/${traceCode}/splits`, body);

/** A valid merge of 1 KG of atPort and 1 KG of splitParent (both at the port) into `fresh`, but for `override`. */
const mergeBody = (w: World, fresh: string, override: Record<string, unknown> = {}): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify({
      mergeId: `MERGE-${fresh}`,
      traceCode: fresh,
      facilityId: w.n.port,
      parents: [
        { traceCode: w.atPort, quantity: 1 },
        { traceCode: w.splitParent, quantity: 1 },
      ],
      ...override,
    }),
  ) as Record<string, unknown>;
const mergeReq = (body: object): Test => post('/api/lots/merges', body);

const registerLotReq = (w: World, fresh: string, override: Record<string, unknown> = {}): Test =>
  post('/api/lots', lotBody(w.n, fresh, override));
const attachReq = (traceCode: string, override: Record<string, unknown> = {}): Test =>
  post(`/api/lots/${traceCode}/documents`, docBody(override));

// Stream sets ----------------------------------------------------------------

const freshLot = (_w: World, fresh: string): string[] => [lotStream(fresh)];
const freshFacility = (_w: World, fresh: string): string[] => [facilityStream(fresh)];
const portLot = (w: World): string[] => [lotStream(w.atPort)];
const cartonLot = (w: World): string[] => [lotStream(w.cartons)];
const warehouseLot = (w: World): string[] => [lotStream(w.atWarehouse)];
const mergeStreams = (w: World, fresh: string): string[] => [lotStream(fresh), lotStream(w.atPort), lotStream(w.splitParent)];

const VALIDATION = 'VALIDATION_FAILED';

const CASES: BadInput[] = [
  // --- unknown fields are forbidden --------------------------------------------------
  { name: 'unknown top-level field on a lot', status: 400, code: VALIDATION, field: 'color',
    request: (w, f) => registerLotReq(w, f, { color: 'red' }), streams: freshLot },
  { name: 'unknown nested field product.color', status: 400, code: VALIDATION, field: 'product.color',
    request: (w, f) => registerLotReq(w, f, { product: { name: 'Beef', category: 'FROZEN', color: 'red' } }), streams: freshLot },
  { name: 'unknown nested field zones[0].capacity on a facility', status: 400, code: VALIDATION, field: 'zones.0.capacity',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: [{ id: 'Z1', kind: 'GENERAL', capacity: 10 }] })), streams: freshFacility },
  { name: 'unknown top-level field on a scan', status: 400, code: VALIDATION, field: 'operator',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { operator: 'bob' }), streams: portLot },
  { name: 'unknown nested field vehicle.driver on a scan', status: 400, code: VALIDATION, field: 'vehicle.driver',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE', vehicle: { plate: 'T-1' } }, { vehicle: { plate: 'T-1', driver: 'bob' } }),
    streams: portLot },
  { name: 'unknown field on a document', status: 400, code: VALIDATION, field: 'pages',
    request: (w) => attachReq(w.atPort, { pages: 3 }), streams: portLot },
  { name: 'unknown field on a lock', status: 400, code: VALIDATION, field: 'by',
    request: (w) => post(`/api/lots/${w.atPort}/lock`, { reason: 'suspicious', by: 'me' }), streams: portLot },

  // --- missing required fields -------------------------------------------------------
  { name: 'lot without importer', status: 400, code: VALIDATION, field: 'importer',
    request: (w, f) => registerLotReq(w, f, { importer: undefined }), streams: freshLot },
  // regression: these were 500s while @ValidateNested() alone let a missing object through
  { name: 'lot without product', status: 400, code: VALIDATION, field: 'product',
    request: (w, f) => registerLotReq(w, f, { product: undefined }), streams: freshLot },
  { name: 'lot without quantity', status: 400, code: VALIDATION, field: 'quantity',
    request: (w, f) => registerLotReq(w, f, { quantity: undefined }), streams: freshLot },
  { name: 'facility without zones', status: 400, code: VALIDATION, field: 'zones',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: undefined })), streams: freshFacility },
  { name: 'scan without occurredAt', status: 400, code: VALIDATION, field: 'occurredAt',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { occurredAt: undefined }), streams: portLot },
  { name: 'scan without scanId', status: 400, code: VALIDATION, field: 'scanId',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { scanId: undefined }), streams: portLot },
  { name: 'document without issuer', status: 400, code: VALIDATION, field: 'issuer',
    request: (w) => attachReq(w.atPort, { issuer: undefined }), streams: portLot },
  { name: 'lock without reason', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/lock`, {}), streams: portLot },
  { name: 'empty object as a scan', status: 400, code: VALIDATION, field: 'traceCode',
    request: () => post('/api/scans', {}) },

  // --- wrong types -------------------------------------------------------------------
  { name: 'quantity.amount as a string', status: 400, code: VALIDATION, field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: '100', unit: 'KG' } }), streams: freshLot },
  { name: 'product.name as a number', status: 400, code: VALIDATION, field: 'product.name',
    request: (w, f) => registerLotReq(w, f, { product: { name: 42, category: 'FROZEN' } }), streams: freshLot },
  { name: 'product as a string', status: 400, code: VALIDATION, field: 'product',
    request: (w, f) => registerLotReq(w, f, { product: 'beef' }), streams: freshLot },
  { name: 'zones as a string', status: 400, code: VALIDATION, field: 'zones',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: 'SALES-1' })), streams: freshFacility },
  { name: 'scan quantity as a string', status: 400, code: VALIDATION, field: 'quantity',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { quantity: '5' }), streams: portLot },
  { name: 'temperatureC as a string', status: 400, code: VALIDATION, field: 'temperatureC',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { temperatureC: '-18' }), streams: portLot },
  { name: 'lock reason as a number', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/lock`, { reason: 123 }), streams: portLot },

  // --- numbers out of range ----------------------------------------------------------
  { name: 'negative lot quantity', status: 400, code: VALIDATION, field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: -5, unit: 'KG' } }), streams: freshLot },
  { name: 'zero lot quantity', status: 400, code: VALIDATION, field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 0, unit: 'KG' } }), streams: freshLot },
  { name: 'lot quantity finer than a gram (4 decimals of KG)', status: 400, code: VALIDATION, field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 1.2345, unit: 'KG' } }), streams: freshLot },
  { name: 'negative scan quantity', status: 400, code: VALIDATION, field: 'quantity',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SELL', quantity: -1 }), streams: portLot },
  { name: 'zero scan quantity', status: 400, code: VALIDATION, field: 'quantity',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SELL', quantity: 0 }), streams: portLot },
  { name: 'temperature below -80 °C', status: 400, code: VALIDATION, field: 'temperatureC',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE', temperatureC: -120 }), streams: portLot },

  // --- values outside an enum --------------------------------------------------------
  { name: 'bad facility type', status: 400, code: VALIDATION, field: 'type',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { type: 'SUPERMARKET' })), streams: freshFacility },
  { name: 'bad zone kind', status: 400, code: VALIDATION, field: 'zones.0.kind',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: [{ id: 'Z1', kind: 'FREEZER' }] })), streams: freshFacility },
  { name: 'bad product category', status: 400, code: VALIDATION, field: 'product.category',
    request: (w, f) => registerLotReq(w, f, { product: { name: 'Beef', category: 'MEAT' } }), streams: freshLot },
  { name: 'bad quantity unit', status: 400, code: VALIDATION, field: 'quantity.unit',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 1, unit: 'TON' } }), streams: freshLot },
  { name: 'quantity unit in the wrong case', status: 400, code: VALIDATION, field: 'quantity.unit',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 1, unit: 'kg' } }), streams: freshLot },
  { name: 'bad document type', status: 400, code: VALIDATION, field: 'type',
    request: (w) => attachReq(w.atPort, { type: 'INVOICE' }), streams: portLot },
  { name: 'bad scan action', status: 400, code: VALIDATION, field: 'action',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { action: 'TELEPORT' }), streams: portLot },
  { name: 'bad test result', status: 400, code: VALIDATION, field: 'result',
    request: (w) => attachReq(w.atPort, { type: 'NUCLEIC_ACID_TEST', result: 'INCONCLUSIVE' }), streams: portLot },

  // --- country codes and dates -------------------------------------------------------
  { name: 'unknown country code XX', status: 400, code: VALIDATION, field: 'originCountry',
    request: (w, f) => registerLotReq(w, f, { originCountry: 'XX' }), streams: freshLot },
  { name: 'alpha-3 country code', status: 400, code: VALIDATION, field: 'originCountry',
    request: (w, f) => registerLotReq(w, f, { originCountry: 'BRA' }), streams: freshLot },
  { name: 'non-ISO enteredAt (01/02/2024)', status: 400, code: VALIDATION, field: 'enteredAt',
    request: (w, f) => registerLotReq(w, f, { enteredAt: '01/02/2024' }), streams: freshLot },
  { name: 'impossible calendar date as occurredAt (Feb 30)', status: 400, code: VALIDATION, field: 'occurredAt',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE', occurredAt: '2025-02-30T10:00:00Z' }), streams: portLot },
  { name: 'words as issuedAt', status: 400, code: VALIDATION, field: 'issuedAt',
    request: (w) => attachReq(w.atPort, { issuedAt: 'yesterday' }), streams: portLot },
  { name: 'epoch millis as vehicle.disinfectedAt', status: 400, code: VALIDATION, field: 'vehicle.disinfectedAt',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { vehicle: { plate: 'T-1', disinfectedAt: 1700000000000 } }),
    streams: portLot },

  // --- bodies that are not an object -------------------------------------------------
  { name: 'malformed JSON (truncated) on POST /lots', status: 400, code: 'MALFORMED_JSON',
    request: (w, f) => postRawJson('/api/lots', JSON.stringify(lotBody(w.n, f)).slice(0, 40)), streams: freshLot },
  { name: 'malformed JSON (trailing comma) on POST /scans', status: 400, code: 'MALFORMED_JSON',
    request: () => postRawJson('/api/scans', '{"scanId": "S-1", }') },
  { name: 'a bare JSON string on POST /facilities', status: 400, code: 'MALFORMED_JSON',
    request: () => postRawJson('/api/facilities', '"PORT-1"') },
  { name: 'an array instead of an object on POST /lots', status: 400, code: VALIDATION,
    request: (w, f) => post('/api/lots', [lotBody(w.n, f)]), streams: freshLot },
  { name: 'an array instead of an object on POST /scans', status: 400, code: VALIDATION,
    request: (w) => post('/api/scans', [scanOf({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' })]), streams: portLot },
  { name: 'an empty array on POST /facilities', status: 400, code: VALIDATION,
    request: () => post('/api/facilities', []) },

  // --- identifiers that are not URL-safe ---------------------------------------------
  { name: 'trace code with a space', status: 400, code: VALIDATION, field: 'traceCode',
    request: (w, f) => registerLotReq(w, f, { traceCode: `LOT ${f}` }), streams: (_w, f) => [lotStream(f), lotStream(`LOT ${f}`)] },
  { name: "trace code with a '/'", status: 400, code: VALIDATION, field: 'traceCode',
    request: (w, f) => registerLotReq(w, f, { traceCode: `LOT/${f}` }), streams: (_w, f) => [lotStream(f), lotStream(`LOT/${f}`)] },
  { name: 'empty trace code', status: 400, code: VALIDATION, field: 'traceCode',
    request: (w, f) => registerLotReq(w, f, { traceCode: '' }), streams: () => [lotStream('')] },
  { name: 'trace code of 129 characters', status: 400, code: VALIDATION, field: 'traceCode',
    request: (w, f) => registerLotReq(w, f, { traceCode: 'L'.repeat(129) }), streams: () => [lotStream('L'.repeat(129))] },
  { name: 'facility id starting with "-"', status: 400, code: VALIDATION, field: 'id',
    request: (_w, f) => post('/api/facilities', facilityBody(`-${f}`)), streams: (_w, f) => [facilityStream(`-${f}`)] },
  { name: 'zone id with a space', status: 400, code: VALIDATION, field: 'zones.0.id',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: [{ id: 'SALES 1', kind: 'DEDICATED_SALES' }] })), streams: freshFacility },
  { name: 'scan of a trace code with a space', status: 400, code: VALIDATION, field: 'traceCode',
    request: (w) => postScan({ traceCode: `${w.atPort} X`, facilityId: w.n.port, action: 'SAMPLE' }), streams: (w) => [lotStream(w.atPort), lotStream(`${w.atPort} X`)] },

  // --- papers the domain refuses -----------------------------------------------------
  { name: 'nucleic-acid test without a result', status: 400, code: VALIDATION, field: 'result',
    request: (w) => attachReq(w.atPort, { type: 'NUCLEIC_ACID_TEST' }), streams: portLot },
  { name: 'customs declaration with a test result', status: 400, code: VALIDATION, field: 'result',
    request: (w) => attachReq(w.atPort, { type: 'CUSTOMS_DECLARATION', result: 'NEGATIVE' }), streams: portLot },
  { name: 'lot quantity beyond any real shipment (1e300 KG)', status: 400, code: VALIDATION, field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 1e300, unit: 'KG' } }), streams: freshLot },
  { name: 'lot that enters tomorrow', status: 400, code: VALIDATION, field: 'enteredAt',
    request: (w, f) => registerLotReq(w, f, { enteredAt: new Date(Date.now() + 86_400_000).toISOString() }), streams: freshLot },
  { name: 'document issued tomorrow', status: 400, code: VALIDATION, field: 'issuedAt',
    request: (w) => attachReq(w.atPort, { issuedAt: new Date(Date.now() + 86_400_000).toISOString() }), streams: portLot },
  { name: 'lot that entered before 2000', status: 400, code: VALIDATION, field: 'enteredAt',
    request: (w, f) => registerLotReq(w, f, { enteredAt: '1999-12-31T23:00:00Z' }), streams: freshLot },
  { name: 'validUntil before issuedAt', status: 400, code: VALIDATION, field: 'validUntil',
    request: (w) => attachReq(w.atPort, { issuedAt: minutesAgo(60), validUntil: minutesAgo(120) }), streams: portLot },
  { name: 'validUntil equal to issuedAt', status: 400, code: VALIDATION, field: 'validUntil',
    request: (w) => {
      const at = minutesAgo(60);
      return attachReq(w.atPort, { issuedAt: at, validUntil: at });
    },
    streams: portLot },

  // --- scans the domain refuses as malformed -----------------------------------------
  { name: 'scan occurredAt a day in the future', status: 400, code: VALIDATION, field: 'occurredAt',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE', occurredAt: inDays(1) }), streams: portLot },
  { name: 'STORE without zoneId', status: 400, code: VALIDATION, field: 'zoneId',
    request: (w) => postScan({ traceCode: w.atWarehouse, facilityId: w.n.warehouse, action: 'STORE' }), streams: warehouseLot },
  { name: 'DISPATCH without toFacilityId', status: 400, code: VALIDATION, field: 'toFacilityId',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'DISPATCH' }), streams: portLot },
  { name: 'SELL without quantity', status: 400, code: VALIDATION, field: 'quantity',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SELL' }), streams: portLot },
  { name: 'toFacilityId on a RECEIVE scan', status: 400, code: VALIDATION, field: 'toFacilityId',
    request: (w) => postScan({ traceCode: w.atWarehouse, facilityId: w.n.warehouse, action: 'RECEIVE', toFacilityId: w.n.market }), streams: warehouseLot },
  { name: 'fractional CARTON quantity on a scan', status: 400, code: 'INVALID_QUANTITY', field: 'quantity',
    request: (w) => postScan({ traceCode: w.cartons, facilityId: w.n.port, action: 'DISPATCH', toFacilityId: w.n.warehouse, quantity: 2.5 }), streams: cartonLot },
  { name: 'fractional CARTON quantity on a lot', status: 400, code: 'INVALID_QUANTITY', field: 'quantity.amount',
    request: (w, f) => registerLotReq(w, f, { quantity: { amount: 12.5, unit: 'CARTON' } }), streams: freshLot },

  // --- things that do not exist ------------------------------------------------------
  { name: 'scan of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (w, f) => postScan({ traceCode: f, facilityId: w.n.port, action: 'SAMPLE' }), streams: freshLot },
  { name: 'document for an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => attachReq(f), streams: freshLot },
  { name: 'lock of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => post(`/api/lots/${f}/lock`, { reason: 'positive sample' }), streams: freshLot },
  { name: 'unlock of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => post(`/api/lots/${f}/unlock`, { reason: 'all clear' }), streams: freshLot },
  { name: 'GET an unknown lot', status: 404, code: 'LOT_NOT_FOUND', request: (_w, f) => get(`/api/lots/${f}`), streams: freshLot },
  { name: 'GET the history of an unknown lot', status: 404, code: 'LOT_NOT_FOUND', request: (_w, f) => get(`/api/lots/${f}/history`), streams: freshLot },
  { name: 'GET the sale eligibility of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => get(`/api/lots/${f}/sale-eligibility`), streams: freshLot },
  { name: 'GET a lot whose trace code cannot exist (encoded "/")', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => get(`/api/lots/LOT%2F${f}`) },
  // An operator's key names its facilities: an unknown one is not among them.
  { name: 'scan at an unknown facility', status: 403, code: 'FORBIDDEN',
    request: (w, f) => postScan({ traceCode: w.atPort, facilityId: f, action: 'SAMPLE' }), streams: (w, f) => [lotStream(w.atPort), facilityStream(f)],
    check: (body, w) => expect(body.details).toMatchObject({ role: 'OPERATOR', facilityId: expect.not.stringMatching(w.n.port) }) },
  { name: 'DISPATCH to an unknown toFacilityId', status: 404, code: 'FACILITY_NOT_FOUND', field: 'toFacilityId',
    request: (w, f) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'DISPATCH', toFacilityId: f }), streams: (w, f) => [lotStream(w.atPort), facilityStream(f)] },
  { name: 'lot registered at an unknown portOfEntryId', status: 403, code: 'FORBIDDEN',
    request: (w, f) => registerLotReq(w, f, { portOfEntryId: `PORT-${f}` }), streams: (_w, f) => [lotStream(f), facilityStream(`PORT-${f}`)] },
  { name: 'GET an unknown facility', status: 404, code: 'FACILITY_NOT_FOUND', request: (_w, f) => get(`/api/facilities/${f}`), streams: freshFacility },

  // --- facts about facilities and zones ----------------------------------------------
  { name: 'lot registered at a CENTRAL_WAREHOUSE instead of a PORT_OF_ENTRY', status: 422, code: 'FACILITY_TYPE_MISMATCH', field: 'portOfEntryId',
    request: (w, f) => registerLotReq(w, f, { portOfEntryId: w.n.warehouse }), streams: freshLot },
  { name: 'STORE in a zone of another facility', status: 422, code: 'ZONE_NOT_IN_FACILITY',
    request: (w) => postScan({ traceCode: w.atWarehouse, facilityId: w.n.warehouse, action: 'STORE', zoneId: w.n.zones.storeSales }), streams: warehouseLot,
    check: (body, w) => expect(body.details).toEqual({ facilityId: w.n.warehouse, zoneId: w.n.zones.storeSales }) },
  { name: 'RECEIVE into an unknown zone', status: 422, code: 'ZONE_NOT_IN_FACILITY',
    request: (w) => postScan({ traceCode: w.atWarehouse, facilityId: w.n.warehouse, action: 'RECEIVE', zoneId: 'NO-SUCH-ZONE' }), streams: warehouseLot },

  // --- conflicts with what is already recorded ---------------------------------------
  { name: 'duplicate facility', status: 409, code: 'FACILITY_EXISTS',
    request: (w) => post('/api/facilities', { id: w.n.port, name: 'Port of entry', type: 'PORT_OF_ENTRY', zones: [] }), streams: (w) => [facilityStream(w.n.port)] },
  { name: 'duplicate lot', status: 409, code: 'LOT_EXISTS', request: (w) => registerLotReq(w, w.atPort), streams: portLot },
  { name: 'duplicate zone ids in one facility', status: 400, code: VALIDATION, field: 'zones',
    request: (_w, f) => post('/api/facilities', facilityBody(f, { zones: [{ id: 'Z1', kind: 'GENERAL' }, { id: 'Z1', kind: 'DEDICATED_SALES' }] })),
    streams: freshFacility },
  { name: 'same scanId reused with a different body', status: 409, code: 'IDEMPOTENCY_KEY_REUSED',
    request: (w) => post('/api/scans', { ...w.recordedScan, temperatureC: -5 }), streams: portLot,
    check: (body, w) => expect(body.details).toEqual({ key: `scan:${w.recordedScan.scanId}` }) },
  { name: 'same scanId reused for another lot', status: 409, code: 'IDEMPOTENCY_KEY_REUSED',
    request: (w) => post('/api/scans', { ...w.recordedScan, traceCode: w.cartons }), streams: (w) => [lotStream(w.atPort), lotStream(w.cartons)] },
  { name: 'same document number with different content', status: 409, code: 'DOCUMENT_CONFLICT',
    request: (w) => attachReq(w.atPort, { type: 'DISINFECTION', number: w.doc.number, issuer: 'Another authority', issuedAt: w.doc.issuedAt }), streams: portLot },
  { name: 'lock a lot twice', status: 409, code: 'LOT_ALREADY_LOCKED',
    request: (w) => post(`/api/lots/${w.locked}/lock`, { reason: 'again' }), streams: (w) => [lotStream(w.locked)] },
  { name: 'unlock a lot that is not locked', status: 409, code: 'LOT_NOT_LOCKED',
    request: (w) => post(`/api/lots/${w.atPort}/unlock`, { reason: 'all clear' }), streams: portLot },

  // --- trade rules -------------------------------------------------------------------
  { name: 'DISPATCH to the same facility', status: 422, code: 'DISPATCH_TO_SAME_FACILITY',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'DISPATCH', toFacilityId: w.n.port }), streams: portLot },
  { name: 'partial DISPATCH quantity', status: 422, code: 'PARTIAL_DISPATCH_NOT_SUPPORTED',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'DISPATCH', toFacilityId: w.n.warehouse, quantity: 40 }), streams: portLot },
  { name: 'DISPATCH quantity above what remains', status: 422, code: 'QUANTITY_EXCEEDS_REMAINING',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'DISPATCH', toFacilityId: w.n.warehouse, quantity: 150 }), streams: portLot,
    check: (body) => expect(body.details).toEqual({ remaining: 100 }) },
  { name: 'DISPATCH out of a CENTRAL_WAREHOUSE without papers', status: 422, code: 'TRADE_BLOCKED',
    request: (w) => postScan({ traceCode: w.atWarehouse, facilityId: w.n.warehouse, action: 'DISPATCH', toFacilityId: w.n.market }), streams: warehouseLot,
    check: (body) =>
      expect(reasonCodesOf(body)).toEqual(
        expect.arrayContaining(['CUSTOMS_DECLARATION_MISSING', 'INSPECTION_CERTIFICATE_MISSING', 'NUCLEIC_ACID_TEST_MISSING', 'DISINFECTION_CERTIFICATE_MISSING']),
      ) },
  { name: 'SELL of a lot still at the port without papers', status: 422, code: 'SALE_BLOCKED',
    request: (w) => postScan({ traceCode: w.atPort, facilityId: w.n.port, action: 'SELL', quantity: 1 }), streams: portLot,
    check: (body) =>
      expect(reasonCodesOf(body)).toEqual(
        expect.arrayContaining(['CUSTOMS_DECLARATION_MISSING', 'CENTRAL_WAREHOUSE_NOT_PASSED', 'NOT_AT_RETAIL_STORE']),
      ) },

  // --- splits (POST /api/lots/:traceCode/splits) -------------------------------------
  { name: 'unknown field on a split', status: 400, code: VALIDATION, field: 'color',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { color: 'red' })), streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`)] },
  { name: 'unknown nested field children[0].grade on a split', status: 400, code: VALIDATION, field: 'children.0.grade',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: 1, grade: 'A' }] })),
    streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`)] },
  { name: 'split without children', status: 400, code: VALIDATION, field: 'children',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: undefined })), streams: portLot },
  { name: 'split with an empty children list', status: 400, code: VALIDATION, field: 'children',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [] })), streams: portLot },
  { name: 'split child with a zero quantity', status: 400, code: VALIDATION, field: 'children.0.quantity',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: 0 }] })),
    streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`)] },
  { name: 'split child with a negative quantity', status: 400, code: VALIDATION, field: 'children.0.quantity',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: -5 }] })),
    streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`)] },
  { name: 'fractional CARTON split child', status: 400, code: 'INVALID_QUANTITY',
    request: (w, f) => splitReq(w.cartons, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: 2.5 }] })),
    streams: (w, f) => [lotStream(w.cartons), lotStream(`${f}-A`)] },
  { name: 'split children taking more than remains', status: 422, code: 'QUANTITY_EXCEEDS_REMAINING',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: 60 }, { traceCode: `${f}-B`, quantity: 50 }] })),
    streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`), lotStream(`${f}-B`)],
    check: (body) => expect(body.details).toEqual({ remaining: 100 }) },
  { name: 'split child whose trace code is already registered', status: 409, code: 'LOT_EXISTS',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: w.cartons, quantity: 1 }] })),
    streams: (w) => [lotStream(w.atPort), lotStream(w.cartons)],
    check: (body, w) => expect(body.details).toEqual({ traceCode: w.cartons }) },
  { name: 'split with the same child trace code twice', status: 400, code: VALIDATION, field: 'children',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: `${f}-A`, quantity: 1 }, { traceCode: `${f}-A`, quantity: 2 }] })),
    streams: (w, f) => [lotStream(w.atPort), lotStream(`${f}-A`)] },
  { name: 'split child with the parent trace code', status: 400, code: VALIDATION, field: 'children',
    request: (w, f) => splitReq(w.atPort, splitBody(f, { children: [{ traceCode: w.atPort, quantity: 1 }] })), streams: portLot },
  { name: 'split of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => splitReq(f, splitBody(f)), streams: (_w, f) => [lotStream(f), lotStream(`${f}-A`)] },
  { name: 'split of a destroyed lot', status: 422, code: 'LOT_DESTROYED',
    request: (w, f) => splitReq(w.destroyed, splitBody(f)), streams: (w, f) => [lotStream(w.destroyed), lotStream(`${f}-A`)] },
  { name: 'same splitId reused with a different body', status: 409, code: 'IDEMPOTENCY_KEY_REUSED',
    request: (w) => splitReq(w.splitParent, { ...w.recordedSplit, children: [{ traceCode: w.recordedSplit.children[0].traceCode, quantity: 11 }] }),
    streams: (w) => [lotStream(w.splitParent), lotStream(w.recordedSplit.children[0].traceCode)],
    check: (body, w) => expect(body.details).toEqual({ key: `split:${w.recordedSplit.splitId}` }) },
  { name: 'same splitId reused for another lot', status: 409, code: 'IDEMPOTENCY_KEY_REUSED',
    request: (w) => splitReq(w.atPort, w.recordedSplit),
    streams: (w) => [lotStream(w.atPort), lotStream(w.splitParent), lotStream(w.recordedSplit.children[0].traceCode)] },

  // --- merges (POST /api/lots/merges) ------------------------------------------------
  { name: 'unknown field on a merge', status: 400, code: VALIDATION, field: 'color',
    request: (w, f) => mergeReq(mergeBody(w, f, { color: 'red' })), streams: mergeStreams },
  { name: 'merge of a single parent', status: 400, code: VALIDATION, field: 'parents',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }] })), streams: mergeStreams },
  { name: 'merge with the same parent twice', status: 400, code: VALIDATION, field: 'parents',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }, { traceCode: w.atPort, quantity: 2 }] })), streams: mergeStreams },
  { name: 'merge with a parent held at another facility', status: 422, code: 'LOT_NOT_AT_FACILITY',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }, { traceCode: w.atWarehouse, quantity: 1 }] })),
    streams: (w, f) => [lotStream(f), lotStream(w.atPort), lotStream(w.atWarehouse)],
    check: (body, w) => expect(body.details).toEqual({ traceCode: w.atWarehouse }) },
  { name: 'merge of lots counted in different units (KG and CARTON)', status: 422, code: 'UNIT_MISMATCH',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }, { traceCode: w.cartons, quantity: 1 }] })),
    streams: (w, f) => [lotStream(f), lotStream(w.atPort), lotStream(w.cartons)] },
  { name: 'merge at an unknown facilityId', status: 403, code: 'FORBIDDEN',
    request: (w, f) => mergeReq(mergeBody(w, f, { facilityId: f })), streams: (w, f) => [...mergeStreams(w, f), facilityStream(f)] },
  { name: 'merge of an unknown parent', status: 404, code: 'LOT_NOT_FOUND',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }, { traceCode: `${f}-P`, quantity: 1 }] })),
    streams: (w, f) => [lotStream(f), lotStream(w.atPort), lotStream(`${f}-P`)] },
  { name: 'merge into a trace code already registered', status: 409, code: 'LOT_EXISTS',
    request: (w, f) => mergeReq(mergeBody(w, f, { traceCode: w.cartons })), streams: (w, f) => [...mergeStreams(w, f), lotStream(w.cartons)] },
  { name: 'merge of a destroyed lot', status: 422, code: 'LOT_DESTROYED',
    request: (w, f) => mergeReq(mergeBody(w, f, { parents: [{ traceCode: w.atPort, quantity: 1 }, { traceCode: w.destroyed, quantity: 1 }] })),
    streams: (w, f) => [lotStream(f), lotStream(w.atPort), lotStream(w.destroyed)] },

  // --- regulator actions: lock, unlock, recall, destroy ------------------------------
  { name: 'recall without reason', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/recall`, {}), streams: portLot },
  { name: 'recall with only a recallId', status: 400, code: VALIDATION, field: 'reason',
    request: (w, f) => post(`/api/lots/${w.atPort}/recall`, { recallId: f }), streams: portLot },
  { name: 'recall with an empty reason', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/recall`, { reason: '' }), streams: portLot },
  { name: 'recallId with a space', status: 400, code: VALIDATION, field: 'recallId',
    request: (w, f) => post(`/api/lots/${w.atPort}/recall`, { reason: 'outbreak', recallId: `R ${f}` }), streams: portLot },
  { name: 'destroy without reason', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/destroy`, {}), streams: portLot },
  { name: 'unlock without reason', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.locked}/unlock`, {}), streams: (w) => [lotStream(w.locked)] },
  { name: 'recall of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => post(`/api/lots/${f}/recall`, { reason: 'outbreak' }), streams: freshLot },
  { name: 'destroy of an unknown lot', status: 404, code: 'LOT_NOT_FOUND',
    request: (_w, f) => post(`/api/lots/${f}/destroy`, { reason: 'spoiled' }), streams: freshLot },
  { name: 'destroy a lot twice', status: 409, code: 'LOT_ALREADY_DESTROYED',
    request: (w) => post(`/api/lots/${w.destroyed}/destroy`, { reason: 'again' }), streams: (w) => [lotStream(w.destroyed)] },
  { name: 'scan of a destroyed lot', status: 422, code: 'LOT_DESTROYED',
    request: (w) => postScan({ traceCode: w.destroyed, facilityId: w.n.port, action: 'SAMPLE' }), streams: (w) => [lotStream(w.destroyed)] },

  // --- the regulator's queries: trace, list, inventory, recalls -----------------------
  { name: 'trace without direction', status: 400, code: VALIDATION, field: 'direction', request: (w) => get(`/api/lots/${w.atPort}/trace`) },
  { name: 'trace with a bad direction', status: 400, code: VALIDATION, field: 'direction',
    request: (w) => get(`/api/lots/${w.atPort}/trace?direction=sideways`) },
  { name: 'trace with the direction in the wrong case', status: 400, code: VALIDATION, field: 'direction',
    request: (w) => get(`/api/lots/${w.atPort}/trace?direction=FORWARD`) },
  { name: 'trace of an unknown lot', status: 404, code: 'LOT_NOT_FOUND', request: (_w, f) => get(`/api/lots/${f}/trace?direction=forward`), streams: freshLot },
  { name: 'list with status=FOO', status: 400, code: VALIDATION, field: 'status', request: () => get('/api/lots?status=FOO') },
  { name: 'list with limit=0', status: 400, code: VALIDATION, field: 'limit', request: () => get('/api/lots?limit=0') },
  { name: 'list with limit=5000', status: 400, code: VALIDATION, field: 'limit', request: () => get('/api/lots?limit=5000') },
  { name: 'list with limit=abc', status: 400, code: VALIDATION, field: 'limit', request: () => get('/api/lots?limit=abc') },
  { name: 'list with a cursor of illegal characters', status: 400, code: VALIDATION, field: 'cursor',
    request: () => get(`/api/lots?cursor=${encodeURIComponent('abc!$/+=')}`) },
  { name: 'list with a cursor that decodes to nothing', status: 400, code: VALIDATION, field: 'cursor', request: () => get('/api/lots?cursor=A') },
  { name: 'list with originCountry=XX', status: 400, code: VALIDATION, field: 'originCountry', request: () => get('/api/lots?originCountry=XX') },
  { name: 'list with category=MEAT', status: 400, code: VALIDATION, field: 'category', request: () => get('/api/lots?category=MEAT') },
  { name: 'list with reason=FOO', status: 400, code: VALIDATION, field: 'reason', request: () => get('/api/lots?reason=FOO') },
  { name: 'list with flag=FOO', status: 400, code: VALIDATION, field: 'flag', request: () => get('/api/lots?flag=FOO') },
  { name: 'list with from=yesterday', status: 400, code: VALIDATION, field: 'from', request: () => get('/api/lots?from=yesterday') },
  { name: 'list with an unknown filter', status: 400, code: VALIDATION, field: 'color', request: () => get('/api/lots?color=red') },
  { name: 'list with status given twice', status: 400, code: VALIDATION, field: 'status', request: () => get('/api/lots?status=ALLOWED&status=BLOCKED') },
  { name: 'inventory of an unknown facility', status: 404, code: 'FACILITY_NOT_FOUND',
    request: (_w, f) => get(`/api/facilities/${f}/inventory`), streams: freshFacility },
  { name: 'inventory with ?atLeast=abc', status: 400, code: VALIDATION, field: 'atLeast', request: (w) => get(`/api/facilities/${w.n.port}/inventory?atLeast=abc`) },
  { name: 'GET an unknown recall', status: 404, code: 'RECALL_NOT_FOUND', request: (_w, f) => get(`/api/recalls/${f}`),
    check: (body) => expect(typeof body.message).toBe('string') },
  { name: 'GET /api/recalls/unknown', status: 404, code: 'RECALL_NOT_FOUND', request: () => get('/api/recalls/unknown') },

  // --- a NUL character (U+0000): PostgreSQL stores no such text, so it must be refused before it gets there
  { name: 'list with a cursor that decodes to a NUL byte (AA)', status: 400, code: VALIDATION, field: 'cursor', request: () => get('/api/lots?cursor=AA') },
  { name: 'list with a NUL in the importer filter', status: 400, code: VALIDATION, field: 'importer', request: () => get('/api/lots?importer=Acme%00') },
  { name: 'recall reason with a NUL', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/recall`, { reason: 'outbreak\u0000' }), streams: portLot },
  { name: 'destroy reason with a NUL', status: 400, code: VALIDATION, field: 'reason',
    request: (w) => post(`/api/lots/${w.atPort}/destroy`, { reason: 'spoiled\u0000' }), streams: portLot },
  { name: 'lot importer with a NUL', status: 400, code: VALIDATION, field: 'importer',
    request: (w, f) => registerLotReq(w, f, { importer: 'Acme\u0000' }), streams: freshLot },
  { name: 'split of a trace code with an encoded NUL', status: 400, code: VALIDATION,
    request: (_w, f) => splitReq(`${f}%00`, splitBody(f)), streams: (_w, f) => [lotStream(`${f}-A`)] },
  { name: 'trace of a trace code with an encoded NUL', status: 400, code: VALIDATION, request: (_w, f) => get(`/api/lots/${f}%00/trace?direction=forward`) },
  { name: 'inventory of a facility id with an encoded NUL', status: 400, code: VALIDATION, request: (_w, f) => get(`/api/facilities/${f}%00/inventory`) },
  { name: 'GET a recall id with an encoded NUL', status: 400, code: VALIDATION, request: (_w, f) => get(`/api/recalls/${f}%00`) },

  // --- bytes that are not UTF-8: refused, never stored as U+FFFD (the probe's 48 requests were accepted)
  { name: 'recall reason with a latin1 byte (0xE9)', status: 400, code: VALIDATION, field: 'body',
    request: (w) => postBytes(`/api/lots/${w.atPort}/recall`, { reason: 'outbreak caf@@' }, [0xe9]), streams: portLot,
    check: (body) => expect(body.message).toContain('not valid UTF-8 (byte 0xE9 at offset') },
  { name: 'lot product name with a cut UTF-8 sequence', status: 400, code: VALIDATION, field: 'body',
    request: (w, f) => postBytes('/api/lots', lotBody(w.n, f, { product: { name: 'Beef @@', category: 'FROZEN' } }), [0xe5, 0x86]), streams: freshLot },
  { name: 'scan vehicle plate with an encoded surrogate (ED A0 80)', status: 400, code: VALIDATION, field: 'body',
    request: (w) => postBytes('/api/scans', scanOf({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { vehicle: { plate: 'TRUCK-@@' } }), [0xed, 0xa0, 0x80]),
    streams: portLot },
  { name: 'facility name with an overlong "/" (C0 AF)', status: 400, code: VALIDATION, field: 'body',
    request: (_w, f) => postBytes('/api/facilities', facilityBody(f, { name: 'Depot @@' }), [0xc0, 0xaf]), streams: freshFacility },
  { name: 'document issuer with a 0xFF byte', status: 400, code: VALIDATION, field: 'body',
    request: (w) => postBytes(`/api/lots/${w.atPort}/documents`, docBody({ issuer: 'Lab @@' }), [0xff]), streams: portLot },
  { name: 'a batch of scans with one bad byte', status: 400, code: VALIDATION, field: 'body',
    request: (w) => postBytes('/api/scans/batch', { scans: [scanOf({ traceCode: w.atPort, facilityId: w.n.port, action: 'SAMPLE' }, { zoneId: 'Z@@' })] }, [0xc3, 0x28]),
    streams: portLot },
  { name: 'list with an importer filter that is not UTF-8 (%C3%28)', status: 400, code: VALIDATION, field: 'query', request: () => get('/api/lots?importer=Acme%C3%28') },
  { name: 'list with a query key that is not UTF-8 (%E9)', status: 400, code: VALIDATION, field: 'query', request: () => get('/api/lots?%E9=1') },
  { name: 'trace of a trace code that is not UTF-8 (%E9)', status: 400, code: VALIDATION, field: 'path', request: (_w, f) => get(`/api/lots/${f}%E9/trace?direction=forward`) },
  { name: 'split of a trace code that is not UTF-8 (%C3%28)', status: 400, code: VALIDATION, field: 'path',
    request: (_w, f) => splitReq(`${f}%C3%28`, splitBody(f)), streams: (_w, f) => [lotStream(`${f}-A`)] },

  // --- query strings and routes ------------------------------------------------------
  { name: '?atLeast=abc', status: 400, code: VALIDATION, field: 'atLeast', request: (w) => get(`/api/lots/${w.atPort}?atLeast=abc`) },
  { name: '?atLeast=-1', status: 400, code: VALIDATION, field: 'atLeast', request: (w) => get(`/api/lots/${w.atPort}/history?atLeast=-1`) },
  { name: '?atLeast given twice', status: 400, code: VALIDATION, field: 'atLeast',
    request: (w) => get(`/api/lots/${w.atPort}/sale-eligibility?atLeast=1&atLeast=2`) },
  { name: 'unknown query parameter', status: 400, code: VALIDATION, field: 'foo', request: (w) => get(`/api/lots/${w.atPort}?foo=1`) },
  { name: 'unknown route', status: 404, code: 'ROUTE_NOT_FOUND', request: () => get('/api/shipments') },
  { name: 'unknown sub-route of a lot', status: 404, code: 'ROUTE_NOT_FOUND', request: (w) => post(`/api/lots/${w.atPort}/explode`, {}), streams: portLot },
  { name: 'unsupported method on a lot', status: 404, code: 'ROUTE_NOT_FOUND', request: (w) => t.http().delete(`/api/lots/${w.atPort}`), streams: portLot },
];

// Assertions ------------------------------------------------------------------

const reasonCodesOf = (body: ErrorBody): string[] => {
  const reasons = body.details?.reasons;
  expect(Array.isArray(reasons)).toBe(true);
  return (reasons as { code: string }[]).map((r) => r.code);
};

/** Fields an error names: details.errors[].field (request validation) or details.field (domain). */
const fieldsOf = (body: ErrorBody): string[] => {
  const d = body.details ?? {};
  const fromErrors = Array.isArray(d.errors) ? (d.errors as { field: string }[]).map((e) => e.field) : [];
  return typeof d.field === 'string' ? [...fromErrors, d.field] : fromErrors;
};

const expectErrorShape = (body: ErrorBody): void => {
  expect(Object.keys(body).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  expect(body.code).toMatch(/^[A-Z][A-Z_]+$/);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
};

interface StoreSnapshot {
  head: number;
  streamRows: number;
  idempotencyKeys: number;
  versions: Record<string, number>;
}

const count = async (table: 'event_streams' | 'idempotency_keys'): Promise<number> =>
  Number(((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[])[0].n);

const snapshot = async (streams: readonly string[]): Promise<StoreSnapshot> => {
  const versions: Record<string, number> = {};
  for (const s of streams) versions[s] = (await t.store.readStream(s)).version;
  return { head: await t.store.headPosition(), streamRows: await count('event_streams'), idempotencyKeys: await count('idempotency_keys'), versions };
};

// The suite ------------------------------------------------------------------

describe('bad input is refused with the right 4xx and changes nothing (e2e, real PostgreSQL)', () => {
  let setupPosition: number;
  const setupVersions: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const n = await registerNetwork(t);
    const atPort = (await registerLot(t, n)).traceCode;
    const cartons = (await registerLot(t, n, `LOT-${uid()}`, 10, 'CARTON')).traceCode;
    const atWarehouse = (await registerLot(t, n)).traceCode;
    await scanOk(t, { traceCode: atWarehouse, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' } });
    await scanOk(t, { traceCode: atWarehouse, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    const locked = (await registerLot(t, n)).traceCode;
    await t.http().post(`/api/lots/${locked}/lock`).send({ reason: 'suspected contamination' }).expect(200);
    const splitParent = (await registerLot(t, n)).traceCode;
    const recordedSplit = { splitId: `SPLIT-${uid()}`, children: [{ traceCode: `${splitParent}-A`, quantity: 10 }] };
    await t.http().post(`/api/lots/${splitParent}/splits`).send(recordedSplit).expect(201);
    const destroyed = (await registerLot(t, n)).traceCode;
    await t.http().post(`/api/lots/${destroyed}/destroy`).send({ reason: 'thawed and spoiled' }).expect(200);
    const doc = { number: `DIS-${uid()}`, issuedAt: minutesAgo(300) };
    await attachDocument(t, atPort, 'DISINFECTION', doc);
    const recordedScan = scanBody({ traceCode: atPort, facilityId: n.port, action: 'SAMPLE', temperatureC: -18 });
    const last = await t.http().post('/api/scans').send(recordedScan).expect(201);
    setupPosition = (last.body as { position: number }).position;
    w = { n, atPort, cartons, atWarehouse, locked, splitParent, recordedSplit, destroyed, doc, recordedScan };
    for (const tc of [atPort, cartons, atWarehouse, locked, splitParent, recordedSplit.children[0].traceCode, destroyed]) {
      setupVersions[tc] = (await t.store.readStream(lotStream(tc))).version;
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it(`covers at least 25 distinct kinds of bad input (${CASES.length} rows)`, () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$status $code: $name', async (c) => {
    const fresh = `NEW-${uid()}`;
    const streams = c.streams?.(w, fresh) ?? [];
    const before = await snapshot(streams);

    const res: Response = await c.request(w, fresh);
    const body = res.body as ErrorBody;

    // status and code together, so a failure shows the whole answer
    expect({ status: res.status, body }).toMatchObject({ status: c.status, body: { code: c.code } });
    expectErrorShape(body);
    if (c.field) expect(fieldsOf(body)).toContain(c.field);
    c.check?.(body, w);

    const after = await snapshot(streams);
    expect(after).toEqual(before);
  });

  it('leaves the read models where setup left them', async () => {
    expect(await t.store.headPosition()).toBe(setupPosition);
    for (const [traceCode, version] of Object.entries(setupVersions)) {
      expect((await t.store.readStream(lotStream(traceCode))).version).toBe(version);
      const lot = await t.http().get(`/api/lots/${traceCode}?atLeast=${setupPosition}`).expect(200);
      expect((lot.body as { version: number }).version).toBe(version);
      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${setupPosition}`).expect(200);
      expect((history.body as { events: unknown[] }).events).toHaveLength(version);
    }
    const port = await t.http().get(`/api/lots/${w.atPort}?atLeast=${setupPosition}`).expect(200);
    expect(port.body).toMatchObject({ quantity: { initial: 100, remaining: 100, unit: 'KG' }, lock: null, holder: { facilityId: w.n.port } });
    expect((port.body as { documents: unknown[] }).documents).toHaveLength(1);
    const locked = await t.http().get(`/api/lots/${w.locked}?atLeast=${setupPosition}`).expect(200);
    expect(locked.body).toMatchObject({ lock: { source: 'REGULATOR', reason: 'suspected contamination' } });
    const parent = await t.http().get(`/api/lots/${w.splitParent}?atLeast=${setupPosition}`).expect(200);
    expect(parent.body).toMatchObject({ quantity: { initial: 100, remaining: 90, unit: 'KG' }, status: 'HELD' });
    const child = await t.http().get(`/api/lots/${w.recordedSplit.children[0].traceCode}?atLeast=${setupPosition}`).expect(200);
    expect(child.body).toMatchObject({ quantity: { initial: 10, remaining: 10, unit: 'KG' }, holder: { facilityId: w.n.port } });
    const destroyed = await t.http().get(`/api/lots/${w.destroyed}?atLeast=${setupPosition}`).expect(200);
    expect(destroyed.body).toMatchObject({ status: 'DESTROYED', quantity: { remaining: 100 } });
  });
});

/**
 * Regressions for inputs that once slipped past validation (out-of-range
 * dates, arrays where objects belong) or left without the `{code, message}`
 * body. They run on their own app and database because one of them, if ever
 * accepted again, would poison the sale-eligibility projection.
 */
describe('regressions: inputs that once slipped through (e2e, real PostgreSQL)', () => {
  let n: Network;

  beforeAll(async () => {
    t = await createTestApp({ readWaitTimeoutMs: 3000 });
    n = await registerNetwork(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  const refusedUnchanged = async (request: () => Test, streams: string[], field: string): Promise<void> => {
    const before = await snapshot(streams);
    const res = await request();
    const body = res.body as ErrorBody;
    expect({ status: res.status, body }).toMatchObject({ status: 400, body: { code: VALIDATION } });
    expect(fieldsOf(body)).toContain(field);
    expect(await snapshot(streams)).toEqual(before);
  };

  it('400 VALIDATION_FAILED: enteredAt that lies past year 9999 in UTC', async () => {
    const tc = `NEW-${uid()}`;
    await refusedUnchanged(() => post('/api/lots', lotBody(n, tc, { enteredAt: '9999-12-31T23:59:59-14:00' })), [lotStream(tc)], 'enteredAt');
  });

  it('400 VALIDATION_FAILED: document dated past year 9999 in UTC', async () => {
    const { traceCode } = await registerLot(t, n);
    await refusedUnchanged(
      () => attachReq(traceCode, { type: 'DISINFECTION', issuedAt: '9999-12-31T23:00:00-14:00', validUntil: '9999-12-31T23:59:59-14:00' }),
      [lotStream(traceCode)],
      'issuedAt',
    );
  });

  it('the sale-eligibility read model still answers for other lots after that request', async () => {
    const other = await registerLot(t, n);
    const res = await t.http().get(`/api/lots/${other.traceCode}/sale-eligibility?atLeast=${other.position}`);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 200, body: { traceCode: other.traceCode } });
  });

  it('400 VALIDATION_FAILED: product given as an array', async () => {
    const tc = `NEW-${uid()}`;
    await refusedUnchanged(
      () => post('/api/lots', lotBody(n, tc, { product: [{ name: 'Frozen beef', category: 'FROZEN' }] })),
      [lotStream(tc)],
      'product',
    );
  });

  it('400 VALIDATION_FAILED: vehicle given as an array', async () => {
    const { traceCode } = await registerLot(t, n);
    await refusedUnchanged(
      () => postScan({ traceCode, facilityId: n.port, action: 'DISINFECT' }, { vehicle: [{ plate: 'TRUCK-1' }] }),
      [lotStream(traceCode)],
      'vehicle',
    );
  });

  it('404 ROUTE_NOT_FOUND as JSON for a path outside /api', async () => {
    const res = await get(`/lots/${uid()}`);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
  });

  describe('messages a newcomer can act on', () => {
    const HINT = "(or it is not in your key's reach); register it with POST /api/lots";

    it('404 for an unknown lot: in plain words, with its trace code and how to register one', async () => {
      const tc = `NEW-${uid()}`;
      const res = await get(`/api/lots/${tc}`);
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 404,
        body: { code: 'LOT_NOT_FOUND', message: `no lot ${tc} is registered ${HINT}`, details: { traceCode: tc } },
      });
    });

    it('404 for a scan of an unregistered lot: its trace code in details and the hint to register it', async () => {
      const tc = `NEW-${uid()}`;
      const res = await post('/api/scans', { scanId: `S-${uid()}`, traceCode: tc, facilityId: n.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1) });
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 404,
        body: { code: 'LOT_NOT_FOUND', message: `no lot ${tc} is registered ${HINT}`, details: { traceCode: tc } },
      });
    });

    it('400 for a quantity that is no number: one message, not one per rule it also breaks', async () => {
      const res = await post('/api/scans', { scanId: `S-${uid()}`, traceCode: `NEW-${uid()}`, facilityId: n.warehouse, action: 'SAMPLE', occurredAt: minutesAgo(1), quantity: 'many' });
      const body = res.body as ErrorBody;
      expect({ status: res.status, code: body.code, message: body.message }).toEqual({
        status: 400,
        code: VALIDATION,
        message: 'quantity: quantity must be a finite number with at most 3 decimal places',
      });
      expect(body.details).toEqual({ errors: [{ field: 'quantity', messages: ['quantity must be a finite number with at most 3 decimal places'] }] });
    });

    it('415 names the Content-Type it received and the one it accepts', async () => {
      const res = await t.http().post('/api/lots').set('content-type', 'text/plain').send('hello');
      expect({ status: res.status, body: res.body as unknown }).toEqual({
        status: 415,
        body: {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'received Content-Type "text/plain"; request bodies must be application/json (send the header Content-Type: application/json)',
          details: { received: 'text/plain', accepted: ['application/json'] },
        },
      });
    });

    it('403 names the role with its article: "an INSPECTOR key"', async () => {
      const res = await t.as(t.tokens.inspector).post('/api/facilities').send(facilityBody(`F-${uid()}`));
      expect(res.status).toBe(403);
      expect((res.body as ErrorBody).message).toMatch(/^an INSPECTOR key may not /);
    });
  });

  it('400 VALIDATION_FAILED: quantity given as an array', async () => {
    const tc = `NEW-${uid()}`;
    await refusedUnchanged(
      () => post('/api/lots', lotBody(n, tc, { quantity: [{ amount: 5, unit: 'KG' }] })),
      [lotStream(tc)],
      'quantity',
    );
  });
});
