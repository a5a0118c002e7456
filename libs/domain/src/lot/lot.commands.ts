import { FacilityRef } from '../facility/facility.types';
import { LotDocument, Product, Quantity, ScanAction, Vehicle } from './lot.types';

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
  };
}

export interface LockLot {
  readonly type: 'LockLot';
  readonly data: { reason: string };
}

export interface UnlockLot {
  readonly type: 'UnlockLot';
  readonly data: { reason: string };
}

export type LotCommand = RegisterLot | AttachDocument | RecordScan | LockLot | UnlockLot;
