import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { AncestorLock, ComplianceFlag, Custody, Destruction, LotDocument, LotLock, LotPortion, LotStatus, ProductView, RecallRecord, RouteStop, Transit, TraceViolation } from '@app/domain';

export interface LotView {
  traceCode: string;
  product: ProductView | null;
  /** Every origin of the goods: several for a lot merged from lots of different origins. */
  originCountries: string[];
  importers: string[];
  quantity: { initial: number; remaining: number; unit: string } | null;
  portOfEntryId: string | null;
  enteredAt: string | null;
  status: LotStatus;
  holder: Custody | null;
  inTransit: Transit | null;
  lock: LotLock | null;
  documents: LotDocument[];
  violations: TraceViolation[];
  route: RouteStop[];
  ancestorLocks: AncestorLock[];
  recalls: RecallRecord[];
  destroyed: Destruction | null;
  parents: LotPortion[];
  children: LotPortion[];
  /** Compliance flags: recorded facts a regulator should see; not blocking on their own. */
  flags: ComplianceFlag[];
  /** Kafka mode: the projector parked this lot (its read models may miss events) until it heals it from the store; null normally. */
  projectionStale: { reason: string; since: string } | null;
  version: number;
  position: number;
  updatedAt: string;
}

export class GetLotQuery extends Query<LotView> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
    /** Who asks: an operator sees only lots that came near its facilities. */
    readonly viewer: Principal,
  ) {
    super();
  }
}
