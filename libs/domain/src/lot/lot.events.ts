import { DomainEvent } from '../shared/decider';
import { FacilityType, ZoneKind } from '../facility/facility.types';
import { LotDocument, LotLock, Product, Quantity, TraceViolationKind, Vehicle } from './lot.types';

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
export type LotLocked = DomainEvent<'LotLocked', LotLock>;
export type LotUnlocked = DomainEvent<'LotUnlocked', { reason: string; unlockedAt: string }>;
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
  | TraceViolationRecorded;

export type LotEventType = LotEvent['type'];
