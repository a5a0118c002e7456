/** The shapes of the API answers the console reads (docs/api.md). */
export type LotStatus = 'HELD' | 'IN_TRANSIT' | 'SOLD_OUT' | 'LOCKED' | 'RECALLED' | 'DESTROYED';

export interface Reason {
  code: string;
  message: string;
}

export interface LotListItem {
  traceCode: string;
  status: string;
  allowed: boolean;
  reasons: Reason[];
  flags: { flag: string; message: string }[];
  holderFacilityId: string | null;
  importers: string[];
  originCountries: string[];
  category: string | null;
  enteredAt: string | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
}

export interface LotList {
  items: LotListItem[];
  nextCursor: string | null;
}

export interface Custody {
  facilityId: string;
  facilityType: string;
  zoneId: string | null;
  since: string;
}

export interface Transit {
  fromFacilityId: string;
  toFacilityId: string;
  dispatchedAt: string;
}

export interface Lot {
  traceCode: string;
  product: { name: string; category: string } | null;
  originCountries: string[];
  importers: string[];
  quantity: { initial: number; remaining: number; unit: string } | null;
  portOfEntryId: string | null;
  enteredAt: string | null;
  status: LotStatus;
  holder: Custody | null;
  inTransit: Transit | null;
  lock: { reason: string; source: string; lockedAt: string } | null;
  ancestorLocks: { ancestor: string; reason: string; lockedAt: string }[];
  recalls: { recallId: string; origin: string; reason: string; source: string; recalledAt: string }[];
  destroyed: { reason: string; destroyedAt: string } | null;
  documents: { type: string; number: string; issuer: string; issuedAt: string; validUntil: string | null; result?: string | null }[];
  violations: { id: string; kind: string; facilityId: string; message: string; occurredAt: string; status: string }[];
  flags: { flag: string; facilityId: string | null; message: string; occurredAt: string }[];
  parents: { traceCode: string; quantity: number }[];
  children: { traceCode: string; quantity: number }[];
  position: number;
  updatedAt: string;
}

export interface Eligibility {
  traceCode: string;
  allowed: boolean;
  reasons: Reason[];
  evaluatedAt: string;
}

export interface HistoryEvent {
  version: number;
  position: number;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  facilityId: string | null;
  scanId: string | null;
  actor: { keyId: string | null; name: string; role: string | null } | null;
  data: Record<string, unknown>;
}

export interface History {
  traceCode: string;
  events: HistoryEvent[];
  nextCursor: string | null;
}

export interface TraceLot {
  traceCode: string;
  product: { name: string; category: string } | null;
  status: LotStatus;
  holder: Custody | null;
  inTransit: Transit | null;
  quantity: { initial: number; remaining: number; unit: string } | null;
  parents: { traceCode: string; quantity: number }[];
}

export interface TraceLink {
  parent: string;
  child: string;
  kind: string;
  operationId: string;
  quantity: number;
}

export interface Trace {
  traceCode: string;
  direction: 'forward' | 'backward';
  lots: TraceLot[];
  links: TraceLink[];
  hiddenLots: number;
  /** Lots the genealogy names that the read model does not show yet (a regulator's trace). */
  pending: string[];
  nextCursor: string | null;
}

/** Whether the holder when recalled was told by its own webhook subscriptions (lot.recalled). */
export interface RecallTold {
  subscribers: number;
  delivered: number;
  firstDeliveredAt: string | null;
  pending: number;
  failed: number;
}

export interface RecalledLot {
  traceCode: string;
  recalledAt: string;
  holderWhenRecalled: string | null;
  holder: Custody | null;
  inTransit: Transit | null;
  remaining: number | null;
  status: LotStatus | null;
  told: RecallTold | null;
}

export interface Recall {
  recallId: string;
  origin: string;
  reason: string;
  source: string;
  recalledAt: string;
  lotCount: number;
  lots: RecalledLot[];
  nextCursor: string | null;
}

export interface LockAnswer {
  traceCode: string;
  version: number;
  position: number;
  lotsAffected: number;
  locked?: boolean;
}

export interface RecallAnswer {
  traceCode: string;
  recallId: string;
  version: number;
  position: number;
  lotsAffected: number;
}

/** What destroying a lot answers (that lot only). */
export interface DestroyAnswer {
  traceCode: string;
  version: number;
  position: number;
}

export interface ResolveAnswer {
  traceCode: string;
  violationId: string;
  correctionId: string | null;
  version: number;
  position: number;
  lotsAffected: number;
}

/** GET /api/lots/:traceCode/temperatures: the log as buckets of time (mean, min, max), the category's range, its excursions and gaps. */
export interface TemperatureSeries {
  traceCode: string;
  category: string | null;
  range: { minCelsius: number | null; maxCelsius: number | null };
  readings: number;
  points: { at: string; celsius: number; min: number; max: number }[];
  excursions: { kind: 'EXCURSION' | 'ABUSE'; from: string; to: string; durationMinutes: number; extremeCelsius: number }[];
  gaps: { from: string; to: string; minutes: number }[];
}
