import { Query } from '@nestjs/cqrs';

export interface LogDigestCheckView {
  /** Today's log yields the same digest at that position. */
  consistent: boolean;
  position: number;
  /** The digest re-computed from today's log; null when the log no longer reaches that position. */
  digest: string | null;
}

export class VerifyLogDigestQuery extends Query<LogDigestCheckView> {
  constructor(
    readonly position: number,
    readonly digest: string,
  ) {
    super();
  }
}
