import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../../common/http/api-errors';
import { refuseTooManyParsedEvents } from './capture-limits';
import { epcisSchemaFaults, type SchemaFault } from './epcis-schema';

/** What capture reads of a document GS1's schema accepted: its events (each shaped as the schema says, read by the mapping). */
export interface EpcisDocument {
  readonly type: 'EPCISDocument';
  readonly epcisBody: { readonly eventList: readonly unknown[] };
}

const epcisInvalid = (faults: readonly SchemaFault[]) =>
  new ApiError(400, 'EPCIS_INVALID', `not a valid EPCIS 2.0 document: ${faults[0].pointer || '(document)'} ${faults[0].message}`, { errors: faults });

/**
 * The body as an EPCISDocument GS1's JSON Schema accepts. First the cheap
 * count (413 PAYLOAD_TOO_LARGE over MAX_CAPTURE_EVENTS; the parser's hook
 * counted a UTF-8 body already), then the schema
 * (400 EPCIS_INVALID with the faults' JSON Pointers in details.errors, at
 * most MAX_SCHEMA_FAULTS), before anything is recorded. The schema also
 * accepts a lone event or a query document; capture takes documents only.
 */
@Injectable()
export class EpcisDocumentPipe implements PipeTransform<unknown, Promise<EpcisDocument>> {
  async transform(body: unknown): Promise<EpcisDocument> {
    refuseTooManyParsedEvents(body);
    const faults = await epcisSchemaFaults(body);
    if (faults.length > 0) throw epcisInvalid(faults);
    if ((body as { type?: unknown }).type !== 'EPCISDocument') throw epcisInvalid([{ pointer: '/type', message: 'must be EPCISDocument: capture takes documents' }]);
    return body as EpcisDocument;
  }
}
