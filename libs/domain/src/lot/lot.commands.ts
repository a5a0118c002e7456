import { FacilityRef } from '../facility/facility.types';
import { LotDocument, LotPortion, Product, Quantity, QuantityUnit, RecallSource, ScanAction, Vehicle } from './lot.types';
import { TemperatureReading, TemperatureRules } from './temperature.rules';
import { TimePolicy } from './time';

/** Another lot carrying the same document (type, issuer, number), and how it relates to this one. */
export interface DocumentAlsoOn {
  readonly traceCode: string;
  /** The two lots descend from a common import lot (a split or merge of the same goods). */
  readonly sameGenealogy: boolean;
  /** The two lots share a customs declaration number (one import declaration). */
  readonly sameDeclaration: boolean;
}

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
  readonly data: {
    document: LotDocument;
    /** Other lots with this document on file, found by the caller; unrelated ones raise DOCUMENT_REUSED. */
    alsoOn?: readonly DocumentAlsoOn[];
    timePolicy?: TimePolicy;
  };
}

/** A document attached to an ancestor, reaching this descendant (through `viaParent` when it was repacked from several). */
export interface ReceiveDocument {
  readonly type: 'ReceiveDocument';
  readonly data: { document: LotDocument; source: { traceCode: string; viaParent: string | null } };
}

/**
 * A regulator's review of a violation. `correction` states where the lot in
 * fact was, from `occurredAt` (default: when the violation happened) on.
 * `inheritedFrom` set = the resolution of that ancestor's violation reaching a descendant.
 */
export interface ResolveViolation {
  readonly type: 'ResolveViolation';
  readonly data: {
    violationId: string;
    reason: string;
    correction?: { correctionId: string; facility: FacilityRef; zoneId: string | null; occurredAt: string | null } | null;
    inheritedFrom?: string | null;
  };
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
    /** The unit the scanner counts `quantity` in, when it states one (EPCIS does); another than the lot's is refused, never converted. */
    quantityUnit?: QuantityUnit | null;
    temperatureC: number | null;
    /** Outside its category's range a scan's spot temperature raises TEMPERATURE_EXCURSION (configuration, passed in so the rule stays pure). */
    temperatureRules: TemperatureRules;
    timePolicy?: TimePolicy;
  };
}

/**
 * One upload of a device's temperature log for the lot. `log` is what the
 * lot's log held before (its own readings and those it inherits from its
 * ancestors up to its making), read by the caller inside the command's
 * transaction: the new readings are judged together with them.
 */
export interface RecordTemperatures {
  readonly type: 'RecordTemperatures';
  readonly data: {
    uploadId: string;
    deviceId: string;
    /** Where the upload comes from (the uploader's facility the lot was at, heading to or coming from); null for a regulator's. */
    facilityId: string | null;
    readings: readonly { readonly at: string; readonly celsius: number }[];
    log: readonly TemperatureReading[];
    rules: TemperatureRules;
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
  readonly data: { splitId: string; children: LotPortion[]; occurredAt: string; timePolicy?: TimePolicy };
}

export type SingleLotCommand =
  | RegisterLot
  | AttachDocument
  | ReceiveDocument
  | RecordScan
  | LockLot
  | UnlockLot
  | RecallLot
  | DestroyLot
  | SplitLot
  | ResolveViolation
  | RecordTemperatures;
