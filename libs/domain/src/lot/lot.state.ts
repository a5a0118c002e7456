import { LotEvent, ScanFacts } from './lot.events';
import {
  AncestorLock,
  ComplianceFlag,
  Custody,
  Destruction,
  LotDocument,
  LotLock,
  LotPortion,
  PaperLine,
  Product,
  QuantityUnit,
  RecallRecord,
  RouteStop,
  Transit,
  TraceViolation,
} from './lot.types';
import { subtractQuantity } from './quantity';

/** Everything the rules need to judge a lot, folded from its own events only. Plain JSON. */
export interface LotState {
  readonly registered: boolean;
  readonly traceCode: string | null;
  readonly product: Product | null;
  readonly originCountry: string | null;
  readonly importer: string | null;
  readonly quantity: { readonly initial: number; readonly remaining: number; readonly unit: QuantityUnit } | null;
  readonly portOfEntryId: string | null;
  readonly enteredAt: string | null;
  /** Who holds the lot now; null while it is in transit. */
  readonly custody: Custody | null;
  readonly inTransit: Transit | null;
  readonly passedCentralWarehouse: boolean;
  readonly route: readonly RouteStop[];
  readonly documents: readonly LotDocument[];
  readonly violations: readonly TraceViolation[];
  /** The lot's own lock (a positive test or a regulator). */
  readonly lock: LotLock | null;
  /** Locks placed on ancestors that reached this lot. */
  readonly ancestorLocks: readonly AncestorLock[];
  readonly recalls: readonly RecallRecord[];
  readonly destroyed: Destruction | null;
  /** The lots this one was split or repacked from (empty for an import lot). */
  readonly parents: readonly LotPortion[];
  readonly children: readonly LotPortion[];
  /** Papers inherited from the parents, one line per parent line; own `documents` add to every line. */
  readonly inheritedPaperLines: readonly PaperLine[];
  readonly flags: readonly ComplianceFlag[];
  readonly lastActivityAt: string | null;
}

export const initialLotState = (): LotState => ({
  registered: false,
  traceCode: null,
  product: null,
  originCountry: null,
  importer: null,
  quantity: null,
  portOfEntryId: null,
  enteredAt: null,
  custody: null,
  inTransit: null,
  passedCentralWarehouse: false,
  route: [],
  documents: [],
  violations: [],
  lock: null,
  ancestorLocks: [],
  recalls: [],
  destroyed: null,
  parents: [],
  children: [],
  inheritedPaperLines: [],
  flags: [],
  lastActivityAt: null,
});

/** The paper lines a lot trades on: each inherited line completed by the lot's own documents. */
export const paperLines = (state: LotState): PaperLine[] =>
  state.inheritedPaperLines.length === 0
    ? [{ from: null, documents: state.documents }]
    : state.inheritedPaperLines.map((line) => ({ from: line.from, documents: [...line.documents, ...state.documents] }));

/** What every lock says, own and inherited; empty = not locked. */
export const isLocked = (state: LotState): boolean => state.lock !== null || state.ancestorLocks.length > 0;

/** A scan at a facility puts the lot there (scans are facts), opening a route stop if it is a new place. */
const arrive = (state: LotState, scan: ScanFacts): LotState => {
  const sameHolder = state.custody?.facilityId === scan.facilityId;
  const custody: Custody = {
    facilityId: scan.facilityId,
    facilityType: scan.facilityType,
    zoneId: scan.zoneId ?? (sameHolder ? state.custody!.zoneId : null),
    zoneKind: scan.zoneKind ?? (sameHolder ? state.custody!.zoneKind : null),
    since: sameHolder ? state.custody!.since : scan.occurredAt,
  };
  const route = sameHolder
    ? state.route
    : [...state.route, { facilityId: scan.facilityId, facilityType: scan.facilityType, arrivedAt: scan.occurredAt, departedAt: null }];
  return {
    ...state,
    custody,
    inTransit: null,
    route,
    passedCentralWarehouse: state.passedCentralWarehouse || scan.facilityType === 'CENTRAL_WAREHOUSE',
    lastActivityAt: scan.occurredAt,
  };
};

export const evolveLot = (state: LotState, event: LotEvent): LotState => {
  switch (event.type) {
    case 'LotRegistered': {
      const d = event.data;
      return {
        ...state,
        registered: true,
        traceCode: d.traceCode,
        product: d.product,
        originCountry: d.originCountry,
        importer: d.importer,
        quantity: { initial: d.quantity.amount, remaining: d.quantity.amount, unit: d.quantity.unit },
        portOfEntryId: d.portOfEntryId,
        enteredAt: d.enteredAt,
        custody: { facilityId: d.portOfEntryId, facilityType: 'PORT_OF_ENTRY', zoneId: null, zoneKind: null, since: d.enteredAt },
        route: [{ facilityId: d.portOfEntryId, facilityType: 'PORT_OF_ENTRY', arrivedAt: d.enteredAt, departedAt: null }],
        lastActivityAt: d.enteredAt,
      };
    }
    case 'DocumentAttached':
      return { ...state, documents: [...state.documents, event.data.document] };
    case 'LotLocked': {
      const { ancestor, ...lock } = event.data;
      return ancestor === null
        ? { ...state, lock }
        : { ...state, ancestorLocks: [...state.ancestorLocks, { ancestor, reason: lock.reason, lockedAt: lock.lockedAt }] };
    }
    case 'LotUnlocked':
      return event.data.ancestor === null
        ? { ...state, lock: null }
        : { ...state, ancestorLocks: state.ancestorLocks.filter((l) => l.ancestor !== event.data.ancestor) };
    case 'LotReceived':
    case 'LotStored':
    case 'LotDisinfected':
    case 'LotSampled':
      return arrive(state, event.data);
    case 'LotDispatched': {
      const here = arrive(state, event.data);
      const route = here.route.map((stop, i) =>
        i === here.route.length - 1 ? { ...stop, departedAt: event.data.occurredAt } : stop,
      );
      return {
        ...here,
        custody: null,
        route,
        inTransit: {
          fromFacilityId: event.data.facilityId,
          toFacilityId: event.data.toFacilityId,
          toFacilityType: event.data.toFacilityType,
          dispatchedAt: event.data.occurredAt,
          vehicle: event.data.vehicle,
        },
      };
    }
    case 'LotSold': {
      const here = arrive(state, event.data);
      const q = here.quantity!;
      return { ...here, quantity: { ...q, remaining: subtractQuantity(q.remaining, event.data.quantity) } };
    }
    case 'LotSplit': {
      const q = state.quantity!;
      const remaining = event.data.children.reduce((left, c) => subtractQuantity(left, c.quantity), q.remaining);
      return {
        ...state,
        quantity: { ...q, remaining: remaining === 0 ? 0 : remaining },
        children: [...state.children, ...event.data.children],
        lastActivityAt: event.data.occurredAt,
      };
    }
    case 'LotMerged': {
      const q = state.quantity!;
      return {
        ...state,
        quantity: { ...q, remaining: subtractQuantity(q.remaining, event.data.quantity) },
        children: [...state.children, { traceCode: event.data.intoTraceCode, quantity: event.data.quantity }],
        lastActivityAt: event.data.occurredAt,
      };
    }
    case 'LotDerived': {
      const d = event.data;
      return {
        ...state,
        registered: true,
        traceCode: d.traceCode,
        product: d.product,
        originCountry: d.originCountry,
        importer: d.importer,
        quantity: { initial: d.quantity.amount, remaining: d.quantity.amount, unit: d.quantity.unit },
        portOfEntryId: d.portOfEntryId,
        enteredAt: d.enteredAt,
        custody: d.custody,
        route: d.route,
        passedCentralWarehouse: d.passedCentralWarehouse,
        inheritedPaperLines: d.paperLines,
        violations: d.violations,
        ancestorLocks: d.ancestorLocks,
        recalls: d.recalls,
        parents: d.parents,
        lastActivityAt: d.occurredAt,
      };
    }
    case 'LotRecalled': {
      const { recallId, origin, reason, source, recalledAt } = event.data;
      return { ...state, recalls: [...state.recalls, { recallId, origin, reason, source, recalledAt }] };
    }
    case 'LotDestroyed':
      return { ...state, destroyed: { reason: event.data.reason, destroyedAt: event.data.destroyedAt } };
    case 'ComplianceFlagRaised': {
      const { flag, facilityId, message, occurredAt } = event.data;
      return { ...state, flags: [...state.flags, { flag, facilityId, message, occurredAt }] };
    }
    case 'TraceViolationRecorded': {
      const { kind, facilityId, message, occurredAt } = event.data;
      return { ...state, violations: [...state.violations, { kind, facilityId, message, occurredAt }] };
    }
  }
};

export type LotStatus = 'DESTROYED' | 'RECALLED' | 'LOCKED' | 'IN_TRANSIT' | 'SOLD_OUT' | 'HELD';

/** The one-word lifecycle status shown to users; destruction, recall and locks outrank everything. */
export const lotStatus = (state: LotState): LotStatus => {
  if (state.destroyed) return 'DESTROYED';
  if (state.recalls.length > 0) return 'RECALLED';
  if (isLocked(state)) return 'LOCKED';
  if (state.inTransit) return 'IN_TRANSIT';
  if (state.quantity && state.quantity.remaining <= 0) return 'SOLD_OUT';
  return 'HELD';
};
