import { Query } from '@nestjs/cqrs';

export interface LotChainView {
  traceCode: string;
  /** Every stored hash matches the one re-computed from the stored event, versions run 1..n, and the stream row agrees. */
  valid: boolean;
  /** Events found in the lot's stream. */
  events: number;
  /** The stored hash of the lot's last event. */
  headHash: string | null;
  /** The first version that does not hold; absent when valid. */
  firstInvalidVersion?: number;
}

export class VerifyLotChainQuery extends Query<LotChainView> {
  constructor(readonly traceCode: string) {
    super();
  }
}
