import type { CsvField } from '../../../common/http/csv';
import type { CriticalTrackingEvent } from '../../critical-tracking-events/critical-tracking-events';
import { CTE_CSV_HEADER, cteCsvFields, FacilityNames } from '../../critical-tracking-events/cte-csv';

/** The trace spreadsheet's columns: the key data elements of each CTE, nothing more. */
export const TRACE_CSV_HEADER: readonly string[] = CTE_CSV_HEADER;

/** The rows of a page of lots (given in trace-code order, each lot's CTEs in time order): sorted by lot, then time. */
export const traceCsvRows = (
  lots: readonly (readonly CriticalTrackingEvent[])[],
  facilities: FacilityNames,
  timeZoneOffset: string,
): CsvField[][] => lots.flatMap((ctes) => ctes.map((e) => cteCsvFields(e, facilities, timeZoneOffset)));
