import { eventHash, GENESIS_HASH, HashedEvent } from './event-hash';

export interface ChainVerdict {
  readonly streamId: string;
  readonly valid: boolean;
  /** Events found in the stream. */
  readonly events: number;
  /** The stored hash of the stream's last event (null when it has none). */
  readonly headHash: string | null;
  /** The first version that does not hold; absent when valid. */
  readonly firstInvalidVersion?: number;
}

/** What the stream row claims: its version and the hash of its last event. */
export interface StreamHead {
  readonly version: number;
  readonly headHash: string | null;
}

/**
 * Re-hashes one stream's stored events, fed in version order, and compares
 * each with its stored hash and the end with the stream row. Invalid at the
 * first version whose stored hash differs from the recomputed one, or that is
 * missing (versions not contiguous), or where the stream row's version or
 * head hash disagrees with the last event.
 */
export class ChainCheck {
  private expected = 1;
  private previous = GENESIS_HASH;
  private count = 0;
  private lastVersion = 0;
  private lastHash: string | null = null;
  private firstInvalid: number | undefined;

  constructor(
    readonly streamId: string,
    private readonly head: StreamHead,
  ) {}

  add(event: HashedEvent & { readonly hash: string }): void {
    this.count++;
    this.lastVersion = event.version;
    this.lastHash = event.hash;
    if (this.firstInvalid !== undefined) return;
    if (event.version !== this.expected) {
      this.firstInvalid = this.expected;
      return;
    }
    const computed = eventHash(this.previous, event);
    if (computed !== event.hash) {
      this.firstInvalid = event.version;
      return;
    }
    this.previous = computed;
    this.expected++;
  }

  verdict(): ChainVerdict {
    let first = this.firstInvalid;
    if (first === undefined && this.head.version !== this.lastVersion) first = Math.min(this.head.version, this.lastVersion) + 1;
    if (first === undefined && this.head.headHash !== this.lastHash) first = this.lastVersion;
    return {
      streamId: this.streamId,
      valid: first === undefined,
      events: this.count,
      headHash: this.lastHash,
      ...(first === undefined ? {} : { firstInvalidVersion: first }),
    };
  }
}
