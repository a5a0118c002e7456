import { Query } from '@nestjs/cqrs';
import type { ChainFailure } from '@app/event-store';

/** A stream that fails, up to the position. */
export interface InvalidStreamView {
  streamId: string;
  firstInvalidVersion: number;
  reason: ChainFailure;
}

export interface LogDigestCheckView {
  position: number;
  /** Today's log, re-hashed from its events' data up to `position`, yields the digest kept. */
  consistent: boolean;
  /** The digest re-computed from today's log; null when the log no longer reaches that position. */
  digest: string | null;
  /** Every event at or below the position is chained and signed by an accepted key. */
  valid: boolean;
  /** Streams and events checked. */
  streams: number;
  events: number;
  /** The first streams that fail (at most 100), in stream id byte order. */
  invalid: InvalidStreamView[];
  /** How many fail in all. */
  invalidStreams: number;
}

export class VerifyLogDigestQuery extends Query<LogDigestCheckView> {
  constructor(
    readonly position: number,
    readonly digest: string,
  ) {
    super();
  }
}
