import { FacilityRef } from '../facility/facility.types';
import { LotDocument, LotPortion, Product, Quantity, RecallSource, ScanAction, TemperatureLimits, Vehicle } from './lot.types';

export interface RegisterLot {
  readonly type: 'RegisterLot';
  readonly data: {
    traceCode: string;
    product: Product;
    originCountry: string;
    importer: string;
    quantity: Quantity;
    portOfEntry: FacilityRef;
    enteredAt: string;
  };
}

export interface AttachDocument {
  readonly type: 'AttachDocument';
  readonly data: { document: LotDocument };
}

export interface RecordScan {
  readonly type: 'RecordScan';
  readonly data: {
    scanId: string;
    action: ScanAction;
    facility: FacilityRef;
    zoneId: string | null;
    toFacility: FacilityRef | null;
    occurredAt: string;
    vehicle: Vehicle | null;
    quantity: number | null;
    temperatureC: number | null;
    /** Above these a scan raises TEMPERATURE_EXCURSION (configuration, passed in so the rule stays pure). */
    temperatureLimits: TemperatureLimits;
  };
}

/** `ancestor` set = the lock of that ancestor reaching this descendant. */
export interface LockLot {
  readonly type: 'LockLot';
  readonly data: { reason: string; ancestor?: string | null };
}

export interface UnlockLot {
  readonly type: 'UnlockLot';
  readonly data: { reason: string; ancestor?: string | null };
}

export interface RecallLot {
  readonly type: 'RecallLot';
  readonly data: { recallId: string; origin: string; reason: string; source: RecallSource };
}

export interface DestroyLot {
  readonly type: 'DestroyLot';
  readonly data: { reason: string };
}

/** The parent side of a split; the children's first events come from `deriveSplitChildren`. */
export interface SplitLot {
  readonly type: 'SplitLot';
  readonly data: { splitId: string; children: LotPortion[]; occurredAt: string };
}

export type LotCommand = RegisterLot | AttachDocument | RecordScan | LockLot | UnlockLot | RecallLot | DestroyLot | SplitLot;
