import { validationFailed } from '../common/http/api-errors';
import { lotClassUrn, locationUrn, parseLocationUrn, parseLotClassUrn } from './epcis-identifiers';
import { EpcisEvent, epcClassesOf } from './epcis-mapping';
import { bareBizStep, EpcisEventFiltersDto } from './epcis-filters.request.dto';

/** The SimpleEventQuery filters, checked and in the shapes they are compared in (empty list = no filter). */
export interface EpcisEventFilters {
  readonly traceCodes: readonly string[];
  readonly eventTypes: readonly string[];
  readonly from: string | null;
  readonly before: string | null;
  readonly bizSteps: readonly string[];
  readonly bizLocations: readonly string[];
  readonly withinLocations: readonly { readonly facilityId: string; readonly zoneId: string | null }[];
}

/** The filters a query (GET /api/epcis/events, or a subscription to it) names. */
export const epcisFiltersOf = (q: EpcisEventFiltersDto): EpcisEventFilters => {
  if (q.GE_eventTime !== undefined && q.LT_eventTime !== undefined && Date.parse(q.GE_eventTime) >= Date.parse(q.LT_eventTime)) {
    throw validationFailed('LT_eventTime must be after GE_eventTime', { field: 'LT_eventTime' });
  }
  return {
    traceCodes: (q.MATCH_anyEPCClass ?? []).map((u) => parseLotClassUrn(u)!),
    eventTypes: q.eventType ?? [],
    from: q.GE_eventTime === undefined ? null : new Date(q.GE_eventTime).toISOString(),
    before: q.LT_eventTime === undefined ? null : new Date(q.LT_eventTime).toISOString(),
    bizSteps: q.EQ_bizStep ?? [],
    // Compared as we write them (a caller's %3a reads as ours, %3A).
    bizLocations: (q.EQ_bizLocation ?? []).map((u) => parseLocationUrn(u)!).map((l) => locationUrn(l.facilityId, l.zoneId)),
    withinLocations: (q.WD_bizLocation ?? []).map((u) => parseLocationUrn(u)!),
  };
};

/**
 * Does an exported event pass these filters? Every filter the query names,
 * with AND; the values of one, with OR. A lot class matches an event that
 * names it anywhere (a split names its children's classes too).
 */
export const epcisEventMatcher = (f: EpcisEventFilters): ((e: EpcisEvent) => boolean) => {
  const classes = new Set(f.traceCodes.map(lotClassUrn));
  const bizSteps = f.bizSteps.map(bareBizStep);
  const from = f.from === null ? null : Date.parse(f.from);
  const before = f.before === null ? null : Date.parse(f.before);
  return (e) => {
    if (f.eventTypes.length > 0 && !f.eventTypes.includes(e.type)) return false;
    const at = Date.parse(e.eventTime);
    if ((from !== null && at < from) || (before !== null && at >= before)) return false;
    if (bizSteps.length > 0 && (e.bizStep === undefined || !bizSteps.includes(e.bizStep))) return false;
    const location = e.bizLocation?.id;
    if (f.bizLocations.length > 0 && (location === undefined || !f.bizLocations.includes(location))) return false;
    if (f.withinLocations.length > 0) {
      const place = location === undefined ? null : parseLocationUrn(location);
      if (place === null || !f.withinLocations.some((w) => w.facilityId === place.facilityId && (w.zoneId === null || w.zoneId === place.zoneId))) return false;
    }
    return classes.size === 0 || epcClassesOf(e).some((c) => classes.has(c));
  };
};
