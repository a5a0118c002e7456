import type { ListLotsRequestDto } from './list-lots.request.dto';

/** The list's filters, without its page. */
export type LotListFilters = Omit<ListLotsRequestDto, 'limit' | 'cursor' | 'atLeast'>;

/** A certificate expired since the row was projected: the row's verdict is out of date, the lot blocked now. */
const LAPSED = `(lapses_at IS NOT NULL AND lapses_at <= now())`;

/**
 * The conditions on sale_eligibility rows the regulator's list filters by:
 * the list and the dashboard's counts of it both read them here. ALLOWED and
 * BLOCKED, and CERTIFICATE_EXPIRED, judge expiry at read time.
 */
export const lotListConditions = (f: LotListFilters, p: (v: unknown) => string): string[] => {
  const where: string[] = [];
  if (f.status === 'ALLOWED') where.push(`allowed AND NOT ${LAPSED}`);
  if (f.status === 'BLOCKED') where.push(`(NOT allowed OR ${LAPSED})`);
  if (f.status === 'LOCKED') where.push(`'LOT_LOCKED' = ANY(reason_codes)`);
  if (f.status === 'RECALLED') where.push(`'LOT_RECALLED' = ANY(reason_codes)`);
  if (f.reason === 'CERTIFICATE_EXPIRED') where.push(`('CERTIFICATE_EXPIRED' = ANY(reason_codes) OR ${LAPSED})`);
  else if (f.reason) where.push(`${p(f.reason)} = ANY(reason_codes)`);
  if (f.flag) where.push(`${p(f.flag)} = ANY(flags)`);
  if (f.facilityId) where.push(`holder_facility_id = ${p(f.facilityId)}`);
  // A merged lot of several origins or importers matches each of them (GIN-indexed containment).
  if (f.importer) where.push(`importers @> ARRAY[${p(f.importer)}]::text[]`);
  if (f.originCountry) where.push(`origin_countries @> ARRAY[${p(f.originCountry.toUpperCase())}]::text[]`);
  if (f.category) where.push(`category = ${p(f.category)}`);
  if (f.from) where.push(`entered_at >= ${p(f.from)}`);
  if (f.to) where.push(`entered_at < ${p(f.to)}`);
  return where;
};
