import { Custody, FoundViolation, Movement, RouteStop, TimelineOrigin, Transit, TraceViolationKind, violationId } from './lot.types';

/** Goods may only reach these after passing a central warehouse (总仓). */
const DOWNSTREAM_OF_WAREHOUSE = new Set(['WHOLESALE_MARKET', 'RETAIL_STORE']);

/**
 * Where the lot is and what its custody chain shows, judged from its
 * movements in the order they happened (occurredAt, then recorded order), not
 * the order they were uploaded: a handheld that was offline uploads late, and
 * its scans take their place in time.
 */
export interface Judged {
  /** Who holds the lot; null while it is in transit. */
  readonly custody: Custody | null;
  readonly inTransit: Transit | null;
  readonly route: readonly RouteStop[];
  readonly passedCentralWarehouse: boolean;
  /** The breaks in the chain, in timeline order. */
  readonly found: readonly FoundViolation[];
}

export const startOf = (origin: TimelineOrigin): Judged => ({
  custody: origin.custody,
  inTransit: null,
  route: origin.route,
  passedCentralWarehouse: origin.passedCentralWarehouse,
  found: [],
});

/** Timeline order: when it happened, then when it was recorded. */
export const byTime = (a: Movement, b: Movement): number => a.occurredAt.localeCompare(b.occurredAt) || a.seq - b.seq;

const revealed = (m: Movement, kind: TraceViolationKind, message: string): FoundViolation => ({
  id: violationId(m.ref, kind),
  kind,
  scanId: m.ref,
  facilityId: m.facilityId,
  message,
  occurredAt: m.occurredAt,
});

/**
 * What a scan at this point of the timeline reveals about the custody chain.
 * Scans are facts: these are recorded against the lot, not refused.
 * `bypassKnown`: a central-warehouse bypass is already on record (it is named once).
 */
export const revealedBy = (j: Judged, m: Movement, bypassKnown: boolean): FoundViolation[] => {
  if (m.action === 'CORRECTION') return [];
  const found: FoundViolation[] = [];
  const here = m.facilityId;
  if (j.inTransit) {
    if (m.action === 'RECEIVE' && j.inTransit.toFacilityId !== here) {
      found.push(revealed(m, 'RECEIPT_WITHOUT_DISPATCH', `received at ${here}, but it was dispatched from ${j.inTransit.fromFacilityId} to ${j.inTransit.toFacilityId}`));
    } else if (m.action !== 'RECEIVE') {
      found.push(revealed(m, 'CUSTODY_GAP', `${m.action} scanned at ${here} while the lot was in transit to ${j.inTransit.toFacilityId}; no receipt was scanned`));
    }
  } else if (j.custody && j.custody.facilityId !== here) {
    found.push(
      m.action === 'RECEIVE'
        ? revealed(m, 'RECEIPT_WITHOUT_DISPATCH', `received at ${here}, but no dispatch from ${j.custody.facilityId} was scanned`)
        : revealed(m, 'CUSTODY_GAP', `${m.action} scanned at ${here} while the lot was held by ${j.custody.facilityId}`),
    );
  }
  const arrivesHere = j.custody?.facilityId !== here;
  const bypassed = bypassKnown || j.found.some((v) => v.kind === 'CENTRAL_WAREHOUSE_BYPASSED');
  if (arrivesHere && DOWNSTREAM_OF_WAREHOUSE.has(m.facilityType) && !j.passedCentralWarehouse && !bypassed) {
    found.push(revealed(m, 'CENTRAL_WAREHOUSE_BYPASSED', `reached ${m.facilityType} ${here} without passing a central warehouse`));
  }
  return found;
};

/** A scan (or correction) at a facility puts the lot there, opening a route stop if it is a new place. */
const arrive = (j: Judged, m: Movement): Judged => {
  const sameHolder = j.custody?.facilityId === m.facilityId;
  const custody: Custody = {
    facilityId: m.facilityId,
    facilityType: m.facilityType,
    zoneId: m.zoneId ?? (sameHolder ? j.custody!.zoneId : null),
    zoneKind: m.zoneKind ?? (sameHolder ? j.custody!.zoneKind : null),
    since: sameHolder ? j.custody!.since : m.occurredAt,
  };
  const stop: RouteStop = { facilityId: m.facilityId, facilityType: m.facilityType, arrivedAt: m.occurredAt, departedAt: null };
  // A correction says the lot was in fact elsewhere: the place it seemed to be is left then.
  const before =
    m.action === 'CORRECTION' && !sameHolder
      ? j.route.map((s, i) => (i === j.route.length - 1 && s.departedAt === null ? { ...s, departedAt: m.occurredAt } : s))
      : j.route;
  return {
    ...j,
    custody,
    inTransit: null,
    route: sameHolder ? j.route : [...before, stop],
    passedCentralWarehouse: j.passedCentralWarehouse || m.facilityType === 'CENTRAL_WAREHOUSE',
  };
};

/** One movement further along the timeline. */
export const step = (j: Judged, m: Movement, bypassKnown: boolean): Judged => {
  const found = revealedBy(j, m, bypassKnown);
  const here = arrive(j, m);
  const next = found.length ? { ...here, found: [...j.found, ...found] } : here;
  if (m.action !== 'DISPATCH' || !m.to) return next;
  return {
    ...next,
    custody: null,
    route: next.route.map((s, i) => (i === next.route.length - 1 ? { ...s, departedAt: m.occurredAt } : s)),
    inTransit: {
      fromFacilityId: m.facilityId,
      toFacilityId: m.to.facilityId,
      toFacilityType: m.to.facilityType,
      dispatchedAt: m.occurredAt,
      vehicle: m.to.vehicle,
    },
  };
};

/** The whole timeline from its origin, movements in the order they happened. */
export const judge = (origin: TimelineOrigin, movements: readonly Movement[], bypassKnown: boolean): Judged =>
  [...movements].sort(byTime).reduce((j, m) => step(j, m, bypassKnown), startOf(origin));

/** Was the lot at this facility at or before `at` (registered there, or any scan there)? And after it? */
export const presenceAt = (
  origin: TimelineOrigin,
  movements: { forEach(visit: (m: Movement) => void): void },
  facilityId: string,
  at: string,
): { before: boolean; after: boolean } => {
  let before = false;
  let after = false;
  const seen = (t: string) => (t <= at ? (before = true) : (after = true));
  for (const s of origin.route) if (s.facilityId === facilityId) seen(s.arrivedAt);
  if (origin.custody.facilityId === facilityId) seen(origin.custody.since);
  // No list of times built: a lot's dispatch or sale looks through its whole history here.
  movements.forEach((m) => {
    if (m.facilityId === facilityId) seen(m.occurredAt);
  });
  return { before, after };
};
