import { DomainEvent } from '../shared/decider';
import { FacilityType, ZoneKind } from '../facility/facility.types';
import {
  AncestorLock,
  ComplianceFlagKind,
  Custody,
  LotDocument,
  LotLock,
  LotPortion,
  PaperLine,
  Product,
  Quantity,
  RecallRecord,
  RecallSource,
  RouteStop,
  TraceViolation,
  TraceViolationKind,
  Vehicle,
} from './lot.types';
import { TemperatureFinding, TemperatureFindingKind } from './temperature.rules';

/** Every lot's events live in the stream `lot-<trace code>`; this is the one place that says so. */
const LOT_STREAM_PREFIX = 'lot-';
export const lotStreamId = (traceCode: string) => `${LOT_STREAM_PREFIX}${traceCode}`;
export const isLotStreamId = (streamId: string): boolean => streamId.startsWith(LOT_STREAM_PREFIX);
export const traceCodeOfStream = (streamId: string): string => streamId.slice(LOT_STREAM_PREFIX.length);

/** Fields every scan-born event carries: who scanned, where, when. */
export interface ScanFacts {
  readonly scanId: string;
  readonly facilityId: string;
  readonly facilityType: FacilityType;
  readonly zoneId: string | null;
  readonly zoneKind: ZoneKind | null;
  readonly occurredAt: string;
  readonly temperatureC: number | null;
}

/**
 * `product.gtin` (GTIN-14) came later as an optional field, so the schema
 * version stays 1: events before it, and lots registered without one, have
 * none, and nothing an older reader decides depends on it.
 */
export type LotRegistered = DomainEvent<
  'LotRegistered',
  {
    traceCode: string;
    product: Product;
    originCountry: string;
    importer: string;
    quantity: Quantity;
    portOfEntryId: string;
    enteredAt: string;
  }
>;
/**
 * v2 added `source`: set when the document was attached to an ancestor and
 * reached this lot through the genealogy (`viaParent`: the parent it came
 * through, for a lot repacked from several parents).
 */
export type DocumentAttached = DomainEvent<
  'DocumentAttached',
  { document: LotDocument; attachedAt: string; source: { traceCode: string; viaParent: string | null } | null }
>;
/** v2 added `ancestor`: set when the lock was placed on an ancestor and reached this lot through it. */
export type LotLocked = DomainEvent<'LotLocked', LotLock & { ancestor: string | null }>;
export type LotUnlocked = DomainEvent<'LotUnlocked', { reason: string; unlockedAt: string; ancestor: string | null }>;
export type LotReceived = DomainEvent<'LotReceived', ScanFacts & { fromFacilityId: string | null; vehicle: Vehicle | null }>;
export type LotStored = DomainEvent<'LotStored', ScanFacts>;
export type LotDisinfected = DomainEvent<'LotDisinfected', ScanFacts & { vehicle: Vehicle | null }>;
export type LotSampled = DomainEvent<'LotSampled', ScanFacts>;
export type LotDispatched = DomainEvent<
  'LotDispatched',
  ScanFacts & { toFacilityId: string; toFacilityType: FacilityType; vehicle: Vehicle | null; quantity: number }
>;
export type LotSold = DomainEvent<'LotSold', ScanFacts & { quantity: number }>;
/** A scan revealed a break in the rules; recorded next to the scan so the history shows it. */
export type TraceViolationRecorded = DomainEvent<
  'TraceViolationRecorded',
  { kind: TraceViolationKind; scanId: string; facilityId: string; message: string; occurredAt: string }
>;

/** A regulator reviewed a violation and lifted its block, on the record; the scan that caused it stays. */
export type ViolationResolved = DomainEvent<
  'ViolationResolved',
  { violationId: string; reason: string; resolvedAt: string; inheritedFrom: string | null }
>;
/**
 * What really happened, as a regulator states it: the lot was in fact held
 * here from `occurredAt` on. Placed on the timeline like a scan.
 */
export type CustodyCorrected = DomainEvent<
  'CustodyCorrected',
  {
    correctionId: string;
    violationId: string;
    facilityId: string;
    facilityType: FacilityType;
    zoneId: string | null;
    zoneKind: ZoneKind | null;
    occurredAt: string;
    reason: string;
    correctedAt: string;
  }
>;

/** The parent side of a split: portions leave it as new child lots, at the same holder. */
export type LotSplit = DomainEvent<'LotSplit', { splitId: string; children: LotPortion[]; facilityId: string; occurredAt: string }>;
/** The parent side of a merge: a portion of it went into a new, repacked lot. */
export type LotMerged = DomainEvent<'LotMerged', { mergeId: string; intoTraceCode: string; quantity: number; facilityId: string; occurredAt: string }>;
/**
 * The first event of a lot made by a split or a merge. It carries everything
 * the child inherits from its parents for eligibility (papers, custody chain,
 * violations, locks, recalls), so the child is judged from its own stream.
 */
export type LotDerived = DomainEvent<
  'LotDerived',
  {
    kind: 'SPLIT' | 'MERGE';
    operationId: string;
    traceCode: string;
    parents: LotPortion[];
    product: Product;
    /** v3: every parent's, distinct (v2 held one string, a merge's joined with commas). */
    originCountries: string[];
    importers: string[];
    quantity: Quantity;
    portOfEntryId: string;
    enteredAt: string;
    custody: Custody;
    route: RouteStop[];
    passedCentralWarehouse: boolean;
    paperLines: PaperLine[];
    /** v2: with ids, status and resolution (v1 had neither; upcast gives them ids). */
    violations: TraceViolation[];
    ancestorLocks: AncestorLock[];
    recalls: RecallRecord[];
    /** What the parents' temperature logs were found to show up to the child's making (absent on events before temperature logs). */
    temperatureFindings?: TemperatureFinding[];
    occurredAt: string;
  }
>;
export type LotRecalled = DomainEvent<
  'LotRecalled',
  {
    recallId: string;
    origin: string;
    reason: string;
    source: RecallSource;
    recalledAt: string;
    /** Where the lot was when recalled (the holder, or the destination while in transit): the key of its notification. */
    holderFacilityId: string | null;
  }
>;
export type LotDestroyed = DomainEvent<'LotDestroyed', { reason: string; destroyedAt: string; holderFacilityId: string | null }>;
/** v2: `scanId` and `facilityId` are null for a flag on a document rather than a scan. */
export type ComplianceFlagRaised = DomainEvent<
  'ComplianceFlagRaised',
  { flag: ComplianceFlagKind; scanId: string | null; facilityId: string | null; message: string; occurredAt: string }
>;

/**
 * One upload of a device's temperature log: its summary. The readings
 * themselves (only those the log did not hold yet) are kept beside the event,
 * in a table of their own keyed by `uploadId`. `occurredAt` is the first
 * reading's time, where the upload sits in the lot's history.
 *
 * `readingsSha256` binds those readings to the event, so its hash and
 * signature cover them: the digest of the stored readings (event-store's
 * readingsSha256, their one definition). Not the domain's to compute (it
 * needs SHA-256): the application adds it to the decided event before the
 * append. It came later as an optional field, so the schema version stays 1:
 * events before it have none, and nothing a reader decides depends on it.
 */
export type TemperaturesRecorded = DomainEvent<
  'TemperaturesRecorded',
  {
    uploadId: string;
    deviceId: string;
    facilityId: string | null;
    count: number;
    minCelsius: number;
    maxCelsius: number;
    firstAt: string;
    lastAt: string;
    occurredAt: string;
    recordedAt: string;
    readingsSha256?: string;
  }
>;

/**
 * What an upload's judgement of the whole log showed that nothing on record
 * did: an EXCURSION (a TEMPERATURE_EXCURSION flag), an ABUSE (a
 * TEMPERATURE_ABUSE violation, `violationId`, that holds the lot) or a GAP (a
 * TEMPERATURE_LOG_GAP flag). `extremeCelsius` is null for a gap.
 */
export type TemperatureFindingRecorded = DomainEvent<
  'TemperatureFindingRecorded',
  {
    kind: TemperatureFindingKind;
    violationId: string | null;
    uploadId: string;
    facilityId: string | null;
    from: string;
    to: string;
    minutes: number;
    extremeCelsius: number | null;
    message: string;
    occurredAt: string;
  }
>;

export type LotEvent =
  | LotRegistered
  | DocumentAttached
  | LotLocked
  | LotUnlocked
  | LotReceived
  | LotStored
  | LotDisinfected
  | LotSampled
  | LotDispatched
  | LotSold
  | TraceViolationRecorded
  | LotSplit
  | LotMerged
  | LotDerived
  | LotRecalled
  | LotDestroyed
  | ComplianceFlagRaised
  | ViolationResolved
  | CustodyCorrected
  | TemperaturesRecorded
  | TemperatureFindingRecorded;

export type LotEventType = LotEvent['type'];
