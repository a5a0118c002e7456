import { Query } from '@nestjs/cqrs';
import type { ChainFailure } from '@app/event-store';

export interface LotChainView {
  traceCode: string;
  /** Every stored hash matches the one re-computed from the stored event, versions run 1..n, the stream row agrees, every event is signed by an accepted key, and every upload's stored readings hash to its event's digest. */
  valid: boolean;
  /** Events found in the lot's stream. */
  events: number;
  /** The stored hash of the lot's last event. */
  headHash: string | null;
  /** The first version that does not hold; absent when valid. */
  firstInvalidVersion?: number;
  /** What does not hold there; absent when valid. */
  reason?: ChainFailure;
  /** The upload whose stored readings do not hold against its event (READINGS_* only). */
  uploadId?: string;
}

export class VerifyLotChainQuery extends Query<LotChainView> {
  constructor(readonly traceCode: string) {
    super();
  }
}
