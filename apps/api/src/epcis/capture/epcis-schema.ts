import { setImmediate as nextTurn } from 'node:timers/promises';
import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { canonicalJson } from '@app/event-store';
// GS1's EPCIS 2.0 JSON Schema, byte for byte (epcis-schema.spec.ts pins it): the app cannot read ../shared in production.
import EPCIS_JSON_SCHEMA from './schema/EPCIS-JSON-Schema.json';

/** Where a document breaks the schema: a JSON Pointer (RFC 6901) into the body, and what is wrong there. */
export interface SchemaFault {
  readonly pointer: string;
  readonly message: string;
}

/** Enough to fix a document by; a document broken everywhere is refused with its first ones, and no more work is done. */
export const MAX_SCHEMA_FAULTS = 100;

/**
 * A part (an event, or the document around its events) at most this long as
 * JSON has every fault listed; a longer one only its first. Listing every
 * fault costs ajv time quadratic in their number (each `$ref` concatenates
 * the errors so far): 8,000 stray keys in one event took 11 s. Every event
 * GS1's examples or our export write is under 1.5 kB.
 */
const FULLY_LISTED_CHARS = 2048;

/** Validation hands the event loop back this often, so a large document never holds it longer. */
const SLICE_MS = 10;

/**
 * uniqueItems in linear time. Ajv compares every pair of items unless the
 * schema types them as scalars, and GS1's `epcList` items are a `$ref`: a
 * valid event with 20,000 EPCs took over a second. Two parsed JSON values are
 * equal in JSON Schema's sense exactly when their canonical JSON (keys
 * sorted) is the same text.
 */
const uniqueItems: SchemaValidateFunction = (unique: boolean, items: unknown[]): boolean => {
  if (!unique) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const key = canonicalJson(items[i]);
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

interface Validators {
  readonly document: ValidateFunction;
  readonly event: ValidateFunction;
}

/**
 * GS1's schema compiled at start-up, once per validator (compiling takes a
 * while, validating is cheap). Draft-07, as GS1 wrote it; `strict: false`
 * because GS1 uses keywords ajv's strict mode frowns on. Without ajv's code
 * optimisation passes both validators compile in what one took with them,
 * and validate an event as fast (about 6 µs).
 */
const compile = (allErrors: boolean): Validators => {
  const ajv = new Ajv({ allErrors, strict: false, code: { optimize: false } });
  addFormats(ajv);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
  const document = ajv.compile(EPCIS_JSON_SCHEMA);
  // Each item of a document's eventList, as the document's schema judges it.
  const event = ajv.getSchema(`${EPCIS_JSON_SCHEMA.$id}#/definitions/EPCIS-Document-Event`);
  if (!event) throw new Error('the EPCIS schema has no EPCIS-Document-Event definition');
  return { document, event };
};

/** Stops at a part's first fault: work linear in the part's size, whatever is wrong with it. */
const FIRST_FAULT = compile(false);
/** Every fault of a part: only for parts short enough (FULLY_LISTED_CHARS). */
const EVERY_FAULT = compile(true);

/**
 * A part's faults (none: valid), pointers prefixed with where the part sits.
 * Ajv also reports each `if/then` branch that failed because of a deeper
 * fault: those say nothing the deeper ones do not, so they are left out.
 */
const faultsOf = (part: unknown, which: keyof Validators, at: string): SchemaFault[] => {
  if (FIRST_FAULT[which](part)) return [];
  let errors: readonly ErrorObject[] = FIRST_FAULT[which].errors ?? [];
  // No body at all stringifies to undefined: short.
  if ((JSON.stringify(part) ?? '').length <= FULLY_LISTED_CHARS) {
    EVERY_FAULT[which](part);
    errors = EVERY_FAULT[which].errors ?? errors;
  }
  const faults = errors.filter((e) => e.keyword !== 'if').map((e) => ({ pointer: `${at}${e.instancePath}`, message: e.message ?? `fails ${e.keyword}` }));
  return faults.length > 0 ? faults : [{ pointer: at, message: at ? 'is not a valid EPCIS event' : 'is not a valid EPCIS document' }];
};

/** The events of a body typed as an EPCISDocument, or null for any other body (judged whole). */
const eventListOf = (body: unknown): unknown[] | null => {
  if (body === null || typeof body !== 'object' || (body as { type?: unknown }).type !== 'EPCISDocument') return null;
  const list = (body as { epcisBody?: { eventList?: unknown } }).epcisBody?.eventList;
  return Array.isArray(list) ? list : null;
};

/**
 * The faults GS1's schema finds in a body (none: valid), at most
 * MAX_SCHEMA_FAULTS of them, in document order. A document is judged in
 * parts: everything but its events, then each event; the event loop gets a
 * turn every SLICE_MS, and validation stops once the list is full.
 */
export const epcisSchemaFaults = async (body: unknown): Promise<SchemaFault[]> => {
  const seen = new Set<string>();
  const faults: SchemaFault[] = [];
  const add = (found: readonly SchemaFault[]) => {
    for (const fault of found) {
      const key = `${fault.pointer}\u0000${fault.message}`;
      if (faults.length === MAX_SCHEMA_FAULTS || seen.has(key)) continue;
      seen.add(key);
      faults.push(fault);
    }
  };
  const events = eventListOf(body);
  if (events === null) {
    add(faultsOf(body, 'document', ''));
    return faults;
  }
  const document = body as { epcisBody: Record<string, unknown> };
  add(faultsOf({ ...document, epcisBody: { ...document.epcisBody, eventList: [] } }, 'document', ''));
  let sliceStarted = performance.now();
  for (let i = 0; i < events.length && faults.length < MAX_SCHEMA_FAULTS; i++) {
    add(faultsOf(events[i], 'event', `/epcisBody/eventList/${i}`));
    if (performance.now() - sliceStarted >= SLICE_MS) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
  return faults;
};
