import { ApiProperty } from '@nestjs/swagger';
import { COLDTRACE_EPCIS_NAMESPACE } from '../../epcis-mapping';
import { EPCIS_CONTEXT_URL, SIMPLE_EVENT_QUERY } from '../../epcis-query-document';

/**
 * The EPCISQueryDocument as OpenAPI sees it: the envelope in full; each event
 * as GS1's EPCIS 2.0 JSON Schema defines it (an ObjectEvent or a
 * TransformationEvent here), not restated.
 */
export class EpcisResultsBodyResponse {
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true, description: "An EPCIS 2.0 event (ObjectEvent or TransformationEvent), as GS1's JSON Schema defines it" },
  })
  eventList: Record<string, unknown>[];
}

export class EpcisQueryResultsResponse {
  @ApiProperty({ enum: [SIMPLE_EVENT_QUERY] })
  queryName: string;

  @ApiProperty({ type: () => EpcisResultsBodyResponse })
  resultsBody: EpcisResultsBodyResponse;
}

export class EpcisQueryBodyResponse {
  @ApiProperty({ type: () => EpcisQueryResultsResponse })
  queryResults: EpcisQueryResultsResponse;
}

export class EpcisQueryDocumentResponse {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }] },
    example: [EPCIS_CONTEXT_URL, { coldtrace: COLDTRACE_EPCIS_NAMESPACE }],
    description: "GS1's context URL, then the `coldtrace` prefix of our own terms",
  })
  '@context': unknown[];

  @ApiProperty({ enum: ['EPCISQueryDocument'] })
  type: 'EPCISQueryDocument';

  @ApiProperty({ enum: ['2.0'] })
  schemaVersion: '2.0';

  @ApiProperty({ format: 'date-time' })
  creationDate: string;

  @ApiProperty({ type: () => EpcisQueryBodyResponse })
  epcisBody: EpcisQueryBodyResponse;
}
