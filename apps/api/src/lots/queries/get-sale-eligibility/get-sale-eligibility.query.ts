import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { BlockingReason } from '@app/domain';

export interface SaleEligibilityView {
  traceCode: string;
  allowed: boolean;
  reasons: BlockingReason[];
  /** Global position of the last event of this lot the answer includes. */
  position: number;
  version: number;
  evaluatedAt: string;
}

/** Answers the SaleEligibilityView as its JSON text (sale-eligibility.json.ts), ready to send. */
export class GetSaleEligibilityQuery extends Query<string> {
  constructor(
    readonly traceCode: string,
    readonly atLeast: number | undefined,
    /** Who asks: an operator sees only lots that came near its facilities. */
    readonly viewer: Principal,
  ) {
    super();
  }
}
