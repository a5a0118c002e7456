import { CsvField, csvTime } from '../../../common/http/csv';
import type { CriticalTrackingEvent } from '../../../lots/critical-tracking-events/critical-tracking-events';
import { CTE_CSV_HEADER, cteCsvFields, facilityName, FacilityNames } from '../../../lots/critical-tracking-events/cte-csv';

/** The recall spreadsheet's columns: each CTE's key data elements, then the recall as it reached that lot. */
export const RECALL_CSV_HEADER: readonly string[] = [...CTE_CSV_HEADER, 'recall_id', 'recalled_at', 'holder_at_recall_id', 'holder_at_recall_name'];

/** A lot the recall reached, and where it was then (the holder, or its destination while in transit). */
export interface RecalledLot {
  readonly traceCode: string;
  readonly recalledAt: string;
  readonly holderWhenRecalled: string | null;
}

/**
 * The rows of a page of recalled lots (given in trace-code order; each lot's
 * CTEs in time order): sorted by lot, then time. Every row of a lot repeats
 * the recall's columns, so a filter on any column keeps whole rows.
 */
export const recallCsvRows = (
  recallId: string,
  lots: readonly { readonly lot: RecalledLot; readonly ctes: readonly CriticalTrackingEvent[] }[],
  facilities: FacilityNames,
  timeZoneOffset: string,
): CsvField[][] =>
  lots.flatMap(({ lot, ctes }) =>
    ctes.map((e) => [
      ...cteCsvFields(e, facilities, timeZoneOffset),
      recallId,
      csvTime(new Date(lot.recalledAt), timeZoneOffset),
      lot.holderWhenRecalled,
      facilityName(facilities, lot.holderWhenRecalled),
    ]),
  );
