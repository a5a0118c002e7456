import { Query } from '@nestjs/cqrs';

export interface LogDigestView {
  /** Every event at or below this global position had committed when the digest was taken. */
  position: number;
  /** SHA-256 over every stream's head as of `position`; a regulator keeps it elsewhere. */
  digest: string;
  /** How many streams it covers. */
  streams: number;
  computedAt: string;
}

export class GetLogDigestQuery extends Query<LogDigestView> {}
