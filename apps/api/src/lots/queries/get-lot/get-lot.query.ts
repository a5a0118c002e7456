import { Query } from '@nestjs/cqrs';
import type { Custody, LotDocument, LotLock, LotStatus, Product, RouteStop, Transit, TraceViolation } from '@app/domain';

export interface LotView {
  traceCode: string;
  product: Product | null;
  originCountry: string | null;
  importer: string | null;
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
  version: number;
  position: number;
  updatedAt: string;
}

export class GetLotQuery extends Query<LotView> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
