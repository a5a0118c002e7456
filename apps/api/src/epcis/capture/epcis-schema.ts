import Ajv from 'ajv';
import addFormats from 'ajv-formats';
// GS1's EPCIS 2.0 JSON Schema, byte for byte (epcis-schema.spec.ts pins it): the app cannot read ../shared in production.
import EPCIS_JSON_SCHEMA from './schema/EPCIS-JSON-Schema.json';

/** Where a document breaks the schema: a JSON Pointer (RFC 6901) into the body, and what is wrong there. */
export interface SchemaFault {
  readonly pointer: string;
  readonly message: string;
}

/** Enough to find the faults of one document; a document broken everywhere is refused with its first ones. */
export const MAX_SCHEMA_FAULTS = 50;

// One compiled validator per process (compiling GS1's 55 kB schema takes a while; validating is cheap).
// Draft-07, as GS1 wrote it; `strict: false` because GS1 uses keywords ajv's strict mode frowns on.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(EPCIS_JSON_SCHEMA);

/**
 * The faults GS1's schema finds in a body (none: valid). Ajv also reports
 * each `if/then` branch that failed because of a deeper fault: those say
 * nothing the deeper ones do not, so they are left out.
 */
export const epcisSchemaFaults = (body: unknown): SchemaFault[] => {
  if (validate(body)) return [];
  const seen = new Set<string>();
  const faults: SchemaFault[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'if') continue;
    const fault = { pointer: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
    const key = `${fault.pointer}\u0000${fault.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    faults.push(fault);
    if (faults.length === MAX_SCHEMA_FAULTS) break;
  }
  return faults.length > 0 ? faults : [{ pointer: '', message: 'is not a valid EPCIS document' }];
};
