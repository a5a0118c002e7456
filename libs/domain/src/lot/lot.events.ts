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

export const lotStreamId = (traceCode: string) => `lot-${traceCode}`;

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
export type DocumentAttached = DomainEvent<'DocumentAttached', { document: LotDocument; attachedAt: string }>;
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
    originCountry: string;
    importer: string;
    quantity: Quantity;
    portOfEntryId: string;
    enteredAt: string;
    custody: Custody;
    route: RouteStop[];
    passedCentralWarehouse: boolean;
    paperLines: PaperLine[];
    violations: TraceViolation[];
    ancestorLocks: AncestorLock[];
    recalls: RecallRecord[];
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
export type ComplianceFlagRaised = DomainEvent<
  'ComplianceFlagRaised',
  { flag: ComplianceFlagKind; scanId: string; facilityId: string; message: string; occurredAt: string }
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
  | ComplianceFlagRaised;

export type LotEventType = LotEvent['type'];
