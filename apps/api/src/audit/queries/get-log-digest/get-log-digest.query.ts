import { Query } from '@nestjs/cqrs';

export interface LogDigestView {
  /** Every event at or below this global position had committed when the digest was taken. */
  position: number;
  /** SHA-256 over every stream's head as of `position`; a regulator keeps it elsewhere. */
  digest: string;
  /** How many streams it covers. */
  streams: number;
  computedAt: string;
  /** The key that signed it (GET /api/audit/keys). */
  signingKeyId: string;
  /** Ed25519 over the UTF-8 of `coldtrace-log-digest:v1:<position>:<digest>:<computedAt>`, hex. */
  signature: string;
}

export class GetLogDigestQuery extends Query<LogDigestView> {}
