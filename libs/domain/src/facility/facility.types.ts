export const FACILITY_TYPES = [
  'PORT_OF_ENTRY',
  'CENTRAL_WAREHOUSE',
  'WHOLESALE_MARKET',
  'RETAIL_STORE',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const ZONE_KINDS = ['DEDICATED_INTAKE', 'DEDICATED_STORAGE', 'DEDICATED_SALES', 'GENERAL'] as const;
export type ZoneKind = (typeof ZONE_KINDS)[number];

export interface Zone {
  readonly id: string;
  readonly kind: ZoneKind;
}

/** What a lot command needs to know about a facility; resolved by the caller from the facility stream. */
export interface FacilityRef {
  readonly id: string;
  readonly type: FacilityType;
  readonly zones: readonly Zone[];
}
