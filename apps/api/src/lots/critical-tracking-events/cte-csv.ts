import { CsvField, csvTime } from '../../common/http/csv';
import type { CriticalTrackingEvent } from './critical-tracking-events';

/** A facility's name and type by id (facilities never change once registered). */
export type FacilityNames = ReadonlyMap<string, { readonly name: string; readonly type: string }>;

/**
 * The key data elements of one CTE, flat, one column each (docs/api.md, "Spreadsheets"):
 * both exports start with these columns, in this order.
 */
export const CTE_CSV_HEADER = [
  'traceability_lot_code',
  'product_name',
  'product_category',
  'cte',
  'event_type',
  'quantity',
  'unit',
  'location_id',
  'location_name',
  'location_type',
  'previous_location_id',
  'previous_location_name',
  'next_location_id',
  'next_location_name',
  'event_time',
  'reference_type',
  'reference',
  'source_lots',
  'new_lots',
] as const;

/** Trace codes hold no ';' (ID_PATTERN), so a list of them stays one plain field. */
const lots = (codes: readonly string[]): string => codes.join(';');

/** A facility's name, or empty for one unknown (never the id again: the id has its own column). */
export const facilityName = (facilities: FacilityNames, id: string | null): string | null => (id === null ? null : (facilities.get(id)?.name ?? null));

export const cteCsvFields = (e: CriticalTrackingEvent, facilities: FacilityNames, timeZoneOffset: string): CsvField[] => [
  e.traceCode,
  e.productName,
  e.productCategory,
  e.kind,
  e.eventType,
  e.quantity,
  e.unit,
  e.locationId,
  facilityName(facilities, e.locationId),
  e.locationId === null ? null : (facilities.get(e.locationId)?.type ?? null),
  e.previousLocationId,
  facilityName(facilities, e.previousLocationId),
  e.nextLocationId,
  facilityName(facilities, e.nextLocationId),
  csvTime(e.occurredAt, timeZoneOffset),
  e.referenceType,
  e.reference,
  lots(e.sourceLots),
  lots(e.newLots),
];
