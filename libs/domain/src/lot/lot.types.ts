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
}

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

export const TRACE_VIOLATIONS = ['RECEIPT_WITHOUT_DISPATCH', 'CUSTODY_GAP', 'CENTRAL_WAREHOUSE_BYPASSED'] as const;
export type TraceViolationKind = (typeof TRACE_VIOLATIONS)[number];

export interface TraceViolation {
  readonly kind: TraceViolationKind;
  readonly facilityId: string;
  readonly message: string;
  readonly occurredAt: string;
}

export interface LotLock {
  readonly reason: string;
  readonly source: 'POSITIVE_TEST' | 'REGULATOR';
  readonly documentNumber: string | null;
  readonly lockedAt: string;
}
