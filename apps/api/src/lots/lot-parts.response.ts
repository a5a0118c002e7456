import { ApiProperty } from '@nestjs/swagger';
import {
  COMPLIANCE_FLAGS,
  DOCUMENT_TYPES,
  FACILITY_TYPES,
  PRODUCT_CATEGORIES,
  REASON_CODES,
  TEST_RESULTS,
  ZONE_KINDS,
  type BlockingReason,
  type ComplianceFlag,
  type ComplianceFlagKind,
  type Custody,
  type DocumentType,
  type FacilityType,
  type LotDocument,
  type LotStatus,
  type ProductView,
  type ProductCategory,
  type ReasonCode,
  type RouteStop,
  type TestResult,
  type Transit,
  type Vehicle,
  type ZoneKind,
} from '@app/domain';

/**
 * The parts of a lot that several answers share (lot view, trace, inventory,
 * recall), as OpenAPI schemas. Each class implements the type the read side
 * returns, so the compiler keeps the documentation in step with the answer.
 */

/** Every LotStatus, for the schema's enum (the type has no list of its own). */
export const LOT_STATUSES = ['HELD', 'IN_TRANSIT', 'SOLD_OUT', 'LOCKED', 'RECALLED', 'DESTROYED'] as const satisfies readonly LotStatus[];

export class ProductResponse implements ProductView {
  @ApiProperty()
  name: string;

  @ApiProperty({ enum: PRODUCT_CATEGORIES })
  category: ProductCategory;

  @ApiProperty({ type: 'string', nullable: true, pattern: '^\\d{14}$', example: '09506000134352', description: 'GS1 GTIN-14, when the lot was registered with one' })
  gtin: string | null;
}

export class LotQuantityResponse {
  @ApiProperty({ description: 'As registered (or split off, or merged)' })
  initial: number;

  @ApiProperty({ description: 'What is left after sales, splits and merges' })
  remaining: number;

  @ApiProperty({ example: 'KG' })
  unit: string;
}

export class CustodyResponse implements Custody {
  @ApiProperty()
  facilityId: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  facilityType: FacilityType;

  @ApiProperty({ type: 'string', nullable: true })
  zoneId: string | null;

  @ApiProperty({ enum: ZONE_KINDS, nullable: true })
  zoneKind: ZoneKind | null;

  @ApiProperty({ format: 'date-time' })
  since: string;
}

export class VehicleResponse implements Vehicle {
  @ApiProperty()
  plate: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  disinfectedAt: string | null;
}

export class TransitResponse implements Transit {
  @ApiProperty()
  fromFacilityId: string;

  @ApiProperty()
  toFacilityId: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  toFacilityType: FacilityType;

  @ApiProperty({ format: 'date-time' })
  dispatchedAt: string;

  @ApiProperty({ type: () => VehicleResponse, nullable: true })
  vehicle: VehicleResponse | null;
}

export class RouteStopResponse implements RouteStop {
  @ApiProperty()
  facilityId: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  facilityType: FacilityType;

  @ApiProperty({ format: 'date-time' })
  arrivedAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  departedAt: string | null;
}

export class BlockingReasonResponse implements BlockingReason {
  @ApiProperty({ enum: REASON_CODES })
  code: ReasonCode;

  @ApiProperty()
  message: string;
}

export class ComplianceFlagResponse implements ComplianceFlag {
  @ApiProperty({ enum: COMPLIANCE_FLAGS })
  flag: ComplianceFlagKind;

  @ApiProperty({ type: 'string', nullable: true, description: 'Where the scan that raised it happened; null for a flag on a document' })
  facilityId: string | null;

  @ApiProperty()
  message: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
}

export class LotDocumentResponse implements LotDocument {
  @ApiProperty({ enum: DOCUMENT_TYPES })
  type: DocumentType;

  @ApiProperty()
  number: string;

  @ApiProperty()
  issuer: string;

  @ApiProperty({ format: 'date-time' })
  issuedAt: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  validUntil: string | null;

  @ApiProperty({ enum: TEST_RESULTS, nullable: true })
  result: TestResult | null;
}

/** `{traceCode, quantity}`: a portion taken from a parent, or given to a child. */
export class LotPortionResponse {
  @ApiProperty()
  traceCode: string;

  @ApiProperty()
  quantity: number;
}

/** Kafka mode: why and since when the projector has the lot parked. */
export class ProjectionStaleResponse {
  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  since: string;
}
