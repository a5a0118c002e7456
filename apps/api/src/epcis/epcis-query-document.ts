import { COLDTRACE_EPCIS_NAMESPACE, EpcisEvent } from './epcis-mapping';

/** GS1's JSON-LD context for EPCIS 2.0 (the ratified URL, not a copy). */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/epcis-context.jsonld';

/** The query this export answers, as the EPCIS query interface names it. */
export const SIMPLE_EVENT_QUERY = 'SimpleEventQuery';

export interface EpcisQueryDocument {
  readonly '@context': readonly [string, { readonly coldtrace: string }];
  readonly type: 'EPCISQueryDocument';
  readonly schemaVersion: '2.0';
  readonly creationDate: string;
  readonly epcisBody: {
    readonly queryResults: { readonly queryName: string; readonly subscriptionID?: string; readonly resultsBody: { readonly eventList: readonly EpcisEvent[] } };
  };
}

/**
 * One page of query results as an EPCISQueryDocument; `coldtrace:` terms
 * expand to our namespace. A subscription's delivery names it (`subscriptionID`).
 */
export const epcisQueryDocument = (
  eventList: readonly EpcisEvent[],
  creationDate: Date,
  query: { readonly queryName: string; readonly subscriptionID?: string } = { queryName: SIMPLE_EVENT_QUERY },
): EpcisQueryDocument => ({
  '@context': [EPCIS_CONTEXT_URL, { coldtrace: COLDTRACE_EPCIS_NAMESPACE }],
  type: 'EPCISQueryDocument',
  schemaVersion: '2.0',
  creationDate: creationDate.toISOString(),
  epcisBody: { queryResults: { ...query, resultsBody: { eventList } } },
});
