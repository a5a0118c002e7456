import { LotEvent, ScanFacts } from './lot.events';
import {
  Custody,
  LotDocument,
  LotLock,
  Product,
  QuantityUnit,
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
  readonly lock: LotLock | null;
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
  lastActivityAt: null,
});

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
    case 'LotLocked':
      return { ...state, lock: event.data };
    case 'LotUnlocked':
      return { ...state, lock: null };
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
    case 'TraceViolationRecorded': {
      const { kind, facilityId, message, occurredAt } = event.data;
      return { ...state, violations: [...state.violations, { kind, facilityId, message, occurredAt }] };
    }
  }
};

export type LotStatus = 'LOCKED' | 'IN_TRANSIT' | 'SOLD_OUT' | 'HELD';

/** The one-word lifecycle status shown to users; a lock outranks everything. */
export const lotStatus = (state: LotState): LotStatus => {
  if (state.lock) return 'LOCKED';
  if (state.inTransit) return 'IN_TRANSIT';
  if (state.quantity && state.quantity.remaining <= 0) return 'SOLD_OUT';
  return 'HELD';
};
