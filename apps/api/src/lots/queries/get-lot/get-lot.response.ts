import { ApiProperty } from '@nestjs/swagger';
import {
  TRACE_VIOLATIONS,
  VIOLATION_STATUSES,
  type AncestorLock,
  type Destruction,
  type LotLock,
  type LotStatus,
  type RecallRecord,
  type RecallSource,
  type TraceViolation,
  type TraceViolationKind,
  type ViolationResolution,
  type ViolationStatus,
} from '@app/domain';
import {
  ComplianceFlagResponse,
  CustodyResponse,
  LOT_STATUSES,
  LotDocumentResponse,
  LotPortionResponse,
  LotQuantityResponse,
  ProductResponse,
  ProjectionStaleResponse,
  RouteStopResponse,
  TransitResponse,
} from '../../lot-parts.response';
import type { LotView } from './get-lot.query';

export class LotLockResponse implements LotLock {
  @ApiProperty()
  reason: string;

  @ApiProperty({ enum: ['POSITIVE_TEST', 'REGULATOR'] })
  source: 'POSITIVE_TEST' | 'REGULATOR';

  @ApiProperty({ type: 'string', nullable: true, description: 'The positive test that locked it' })
  documentNumber: string | null;

  @ApiProperty({ format: 'date-time' })
  lockedAt: string;
}

export class AncestorLockResponse implements AncestorLock {
  @ApiProperty({ description: 'The locked ancestor' })
  ancestor: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  lockedAt: string;
}

export class RecallRecordResponse implements RecallRecord {
  @ApiProperty()
  recallId: string;

  @ApiProperty({ description: 'The lot the recall started from' })
  origin: string;

  @ApiProperty()
  reason: string;

  @ApiProperty({ enum: ['REGULATOR', 'POSITIVE_TEST'] })
  source: RecallSource;

  @ApiProperty({ format: 'date-time' })
  recalledAt: string;
}

export class DestructionResponse implements Destruction {
  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  destroyedAt: string;
}

export class ViolationResolutionResponse implements ViolationResolution {
  @ApiProperty()
  reason: string;

  @ApiProperty({ format: 'date-time' })
  resolvedAt: string;
}

export class TraceViolationResponse implements TraceViolation {
  @ApiProperty({ description: 'Stable: `<scanId>.<kind>`' })
  id: string;

  @ApiProperty({ enum: TRACE_VIOLATIONS })
  kind: TraceViolationKind;

  @ApiProperty({ type: 'string', nullable: true })
  scanId: string | null;

  @ApiProperty()
  facilityId: string;

  @ApiProperty()
  message: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ enum: VIOLATION_STATUSES, description: 'OPEN blocks; RESOLVED by a regulator; EXPLAINED by a late scan' })
  status: ViolationStatus;

  @ApiProperty({ type: () => ViolationResolutionResponse, nullable: true })
  resolution: ViolationResolutionResponse | null;
}

export class LotResponse implements LotView {
  @ApiProperty()
  traceCode: string;

  @ApiProperty({ type: () => ProductResponse, nullable: true })
  product: ProductResponse | null;

  @ApiProperty({ type: [String], description: 'Every origin (ISO 3166-1 alpha-2): several for a lot merged from lots of different origins' })
  originCountries: string[];

  @ApiProperty({ type: [String] })
  importers: string[];

  @ApiProperty({ type: () => LotQuantityResponse, nullable: true })
  quantity: LotQuantityResponse | null;

  @ApiProperty({ type: 'string', nullable: true })
  portOfEntryId: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  enteredAt: string | null;

  @ApiProperty({ enum: LOT_STATUSES })
  status: LotStatus;

  @ApiProperty({ type: () => CustodyResponse, nullable: true, description: 'Who holds it now (null while in transit)' })
  holder: CustodyResponse | null;

  @ApiProperty({ type: () => TransitResponse, nullable: true })
  inTransit: TransitResponse | null;

  @ApiProperty({ type: () => LotLockResponse, nullable: true })
  lock: LotLockResponse | null;

  @ApiProperty({ type: () => [LotDocumentResponse] })
  documents: LotDocumentResponse[];

  @ApiProperty({ type: () => [TraceViolationResponse] })
  violations: TraceViolationResponse[];

  @ApiProperty({ type: () => [RouteStopResponse] })
  route: RouteStopResponse[];

  @ApiProperty({ type: () => [AncestorLockResponse], description: 'Locks reaching it through an ancestor' })
  ancestorLocks: AncestorLockResponse[];

  @ApiProperty({ type: () => [RecallRecordResponse] })
  recalls: RecallRecordResponse[];

  @ApiProperty({ type: () => DestructionResponse, nullable: true })
  destroyed: DestructionResponse | null;

  @ApiProperty({ type: () => [LotPortionResponse], description: 'The lots it was split or merged from' })
  parents: LotPortionResponse[];

  @ApiProperty({ type: () => [LotPortionResponse], description: 'The lots split or merged from it' })
  children: LotPortionResponse[];

  @ApiProperty({ type: () => [ComplianceFlagResponse], description: 'Recorded facts a regulator should see; not blocking on their own' })
  flags: ComplianceFlagResponse[];

  @ApiProperty({ type: () => ProjectionStaleResponse, nullable: true, description: 'Kafka mode: the projector parked the lot; null normally' })
  projectionStale: ProjectionStaleResponse | null;

  @ApiProperty()
  version: number;

  @ApiProperty()
  position: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
