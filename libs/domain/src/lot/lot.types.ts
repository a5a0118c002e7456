import { FacilityType, ZoneKind } from '../facility/facility.types';

export const PRODUCT_CATEGORIES = ['FROZEN', 'CHILLED', 'FRUIT'] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const QUANTITY_UNITS = ['KG', 'CARTON', 'PIECE'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

export const DOCUMENT_TYPES = [
  'CUSTOMS_DECLARATION',
  'INSPECTION_QUARANTINE',
  'NUCLEIC_ACID_TEST',
  'DISINFECTION',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const TEST_RESULTS = ['NEGATIVE', 'POSITIVE'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];

export const SCAN_ACTIONS = ['RECEIVE', 'STORE', 'DISINFECT', 'SAMPLE', 'DISPATCH', 'SELL'] as const;
export type ScanAction = (typeof SCAN_ACTIONS)[number];

export interface Product {
  readonly name: string;
  readonly category: ProductCategory;
  /**
   * The GS1 GTIN-14 of the product, when the importer gave one (a later
   * addition: events written before, and lots registered without, have none).
   */
  readonly gtin?: string;
}

/** A product as the API shows it: `gtin` null when it has none (older lots included). */
export interface ProductView {
  readonly name: string;
  readonly category: ProductCategory;
  readonly gtin: string | null;
}
export const productView = (p: Product): ProductView => ({ name: p.name, category: p.category, gtin: p.gtin ?? null });

/** Two lots hold the same product: name, category and GTIN (none on both counts as the same). */
export const sameProduct = (a: Product, b: Product): boolean => a.name === b.name && a.category === b.category && (a.gtin ?? null) === (b.gtin ?? null);

export interface Quantity {
  readonly amount: number;
  readonly unit: QuantityUnit;
}

/** Dates travel as ISO-8601 strings so state and events stay plain JSON. */
export interface LotDocument {
  readonly type: DocumentType;
  readonly number: string;
  readonly issuer: string;
  readonly issuedAt: string;
  readonly validUntil: string | null;
  readonly result: TestResult | null;
}

export interface Vehicle {
  readonly plate: string;
  readonly disinfectedAt: string | null;
}

export interface Custody {
  readonly facilityId: string;
  readonly facilityType: FacilityType;
  readonly zoneId: string | null;
  readonly zoneKind: ZoneKind | null;
  readonly since: string;
}

export interface Transit {
  readonly fromFacilityId: string;
  readonly toFacilityId: string;
  readonly toFacilityType: FacilityType;
  readonly dispatchedAt: string;
  readonly vehicle: Vehicle | null;
}

export interface RouteStop {
  readonly facilityId: string;
  readonly facilityType: FacilityType;
  readonly arrivedAt: string;
  readonly departedAt: string | null;
}

/** Breaks of the custody chain a scan reveals, and (TEMPERATURE_ABUSE) a temperature log beyond its hard limit: each holds the lot until resolved. */
export const TRACE_VIOLATIONS = ['RECEIPT_WITHOUT_DISPATCH', 'CUSTODY_GAP', 'CENTRAL_WAREHOUSE_BYPASSED', 'TEMPERATURE_ABUSE'] as const;
export type TraceViolationKind = (typeof TRACE_VIOLATIONS)[number];

/**
 * OPEN blocks the lot; RESOLVED: a regulator reviewed it on the record;
 * EXPLAINED: recorded when scanned, but the timeline no longer shows it (a
 * scan uploaded late filled the gap).
 */
export const VIOLATION_STATUSES = ['OPEN', 'RESOLVED', 'EXPLAINED'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

export interface ViolationResolution {
  readonly reason: string;
  readonly resolvedAt: string;
}

/** A break in the custody chain a scan revealed, as the timeline judges it, or a temperature abuse. */
export interface FoundViolation {
  /** Stable: `<scanId>.<kind>` (see violationId), or `T<start>.TEMPERATURE_ABUSE` (temperatureAbuseId). */
  readonly id: string;
  readonly kind: TraceViolationKind;
  readonly scanId: string | null;
  readonly facilityId: string;
  readonly message: string;
  readonly occurredAt: string;
}

export interface TraceViolation extends FoundViolation {
  readonly status: ViolationStatus;
  readonly resolution: ViolationResolution | null;
}

/** The id of the violation a scan revealed: one scan reveals each kind at most once. */
export const violationId = (scanId: string, kind: TraceViolationKind): string => `${scanId}.${kind}`;

/** A scan, or a regulator's correction of custody, placed on the lot's timeline by when it happened. */
export interface Movement {
  /** Recorded order (1, 2, ...): breaks ties between equal times. */
  readonly seq: number;
  /** The scan id, or the correction's id. */
  readonly ref: string;
  readonly action: ScanAction | 'CORRECTION';
  readonly facilityId: string;
  readonly facilityType: FacilityType;
  readonly zoneId: string | null;
  readonly zoneKind: ZoneKind | null;
  readonly occurredAt: string;
  /** DISPATCH only: where to, and in what. */
  readonly to: { readonly facilityId: string; readonly facilityType: FacilityType; readonly vehicle: Vehicle | null } | null;
}

/** Where a lot's own timeline starts: its registration at the port, or its making by a split or merge. */
export interface TimelineOrigin {
  readonly custody: Custody;
  readonly route: readonly RouteStop[];
  readonly passedCentralWarehouse: boolean;
  readonly at: string;
}

export interface LotLock {
  readonly reason: string;
  readonly source: 'POSITIVE_TEST' | 'REGULATOR';
  readonly documentNumber: string | null;
  readonly lockedAt: string;
}

/** A lock placed on an ancestor reaches every descendant; it names the ancestor and why. */
export interface AncestorLock {
  readonly ancestor: string;
  readonly reason: string;
  readonly lockedAt: string;
}

export type RecallSource = 'REGULATOR' | 'POSITIVE_TEST';

export interface RecallRecord {
  readonly recallId: string;
  /** The lot the recall started from (a regulator's target, or the lot that tested positive). */
  readonly origin: string;
  readonly reason: string;
  readonly source: RecallSource;
  readonly recalledAt: string;
}

export interface Destruction {
  readonly reason: string;
  readonly destroyedAt: string;
}

export interface LotPortion {
  readonly traceCode: string;
  readonly quantity: number;
}

/**
 * The papers one physical line of goods carries. A root lot has one line (its
 * own documents); a lot repacked from several parents has one line per parent,
 * and every line must be complete for the lot to trade.
 */
export interface PaperLine {
  /** The parent lot this line came through; null for the lot's own line. */
  readonly from: string | null;
  readonly documents: readonly LotDocument[];
}

export const COMPLIANCE_FLAGS = [
  'RECEIPT_OUTSIDE_DEDICATED_INTAKE',
  'STORAGE_OUTSIDE_DEDICATED_ZONE',
  'VEHICLE_NOT_DISINFECTED',
  'TEMPERATURE_EXCURSION',
  'TEMPERATURE_LOG_GAP',
  'OUT_OF_ORDER_SCAN',
  'DOCUMENT_REUSED',
] as const;
export type ComplianceFlagKind = (typeof COMPLIANCE_FLAGS)[number];

/** Not blocking on its own: a fact the regulator should see. */
export interface ComplianceFlag {
  readonly flag: ComplianceFlagKind;
  /** Where the scan that raised it happened; null for a flag on a document. */
  readonly facilityId: string | null;
  readonly message: string;
  readonly occurredAt: string;
}
