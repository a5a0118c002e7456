import { eventHash, GENESIS_HASH, HashedEvent } from './event-hash';
import { SignatureFailure } from './event-signature';

/**
 * Why a stream fails its check, at its first invalid version:
 * - VERSION_MISSING: the versions do not run 1, 2, 3, ... (an event removed from the middle);
 * - HASH_MISMATCH: the stored hash is not the one re-computed from the event's data and the chain before it;
 * - STREAM_ROW_MISMATCH: the stream row's version or head hash disagrees with its last event;
 * - UNSIGNED, UNKNOWN_SIGNING_KEY, BAD_SIGNATURE: the event's signature is missing, by a key
 *   the verifier does not accept, or does not hold over its hash;
 * - READINGS_MISSING, READINGS_MISMATCH: the upload a TemperaturesRecorded event records
 *   (by its `readingsSha256`) has no row, or its row's readings, count, lot or device are not
 *   the ones recorded (the verdict names the upload);
 * - READINGS_UNRECORDED: a row of the lot's readings that no TemperaturesRecorded event of it
 *   records (inserted beside the record: it would add readings to the lot's log).
 */
export type ChainFailure = 'VERSION_MISSING' | 'HASH_MISMATCH' | 'STREAM_ROW_MISMATCH' | SignatureFailure | ReadingsFailure;

/** Why an upload's stored readings do not hold against their event (readings-check.ts). */
export type ReadingsFailure = 'READINGS_MISSING' | 'READINGS_MISMATCH' | 'READINGS_UNRECORDED';

export interface ChainVerdict {
  readonly streamId: string;
  readonly valid: boolean;
  /** Events found in the stream. */
  readonly events: number;
  /** The stored hash of the stream's last event (null when it has none). */
  readonly headHash: string | null;
  /** The first version that does not hold; absent when valid. */
  readonly firstInvalidVersion?: number;
  /** What does not hold there; absent when valid. */
  readonly reason?: ChainFailure;
  /** The upload whose readings do not hold (READINGS_* only). */
  readonly uploadId?: string;
}

/** What the stream row claims: its version and the hash of its last event. */
export interface StreamHead {
  readonly version: number;
  readonly headHash: string | null;
}

/** What `add` learnt of one event. */
export interface ChainStep {
  /** The chain hash re-computed from the data alone, whatever is stored: what a digest recomputed from data uses. */
  readonly recomputed: string;
  /** The chain holds up to and including this event: its signature is worth checking (over `recomputed`, which is its stored hash). */
  readonly sound: boolean;
}

/**
 * Re-hashes one stream's stored events, fed in version order, and compares
 * each with its stored hash and the end with the stream row (when given).
 * Invalid at the first version whose stored hash differs from the
 * recomputed one, or that is missing (versions not contiguous), or whose
 * signature does not hold (reported by the caller, which verifies
 * signatures in batches: signatureFailed), or where the stream row's version
 * or head hash disagrees with the last event.
 */
export class ChainCheck {
  private expected = 1;
  private recomputedHash = GENESIS_HASH;
  private count = 0;
  private lastVersion = 0;
  private lastHash: string | null = null;
  private failure: { version: number; reason: ChainFailure; uploadId?: string } | undefined;

  constructor(
    readonly streamId: string,
    private readonly head: StreamHead | null,
  ) {}

  add(event: HashedEvent & { readonly hash: string }): ChainStep {
    this.count++;
    this.lastVersion = event.version;
    this.lastHash = event.hash;
    this.recomputedHash = eventHash(this.recomputedHash, event);
    if (this.failure) return { recomputed: this.recomputedHash, sound: false };
    if (event.version !== this.expected) {
      this.fail(this.expected, 'VERSION_MISSING');
      return { recomputed: this.recomputedHash, sound: false };
    }
    if (this.recomputedHash !== event.hash) {
      this.fail(event.version, 'HASH_MISMATCH');
      return { recomputed: this.recomputedHash, sound: false };
    }
    this.expected++;
    return { recomputed: this.recomputedHash, sound: true };
  }

  /** An event's signature did not hold (the earliest such version wins, whatever order they are reported in). */
  signatureFailed(version: number, reason: SignatureFailure): void {
    this.fail(version, reason);
  }

  /** An upload's stored readings did not hold against the event at this version (earliest wins, as for signatures). */
  readingsFailed(version: number, reason: ReadingsFailure, uploadId: string): void {
    this.fail(version, reason, uploadId);
  }

  verdict(): ChainVerdict {
    let failure = this.failure;
    if (!failure && this.head && this.head.version !== this.lastVersion) {
      failure = { version: Math.min(this.head.version, this.lastVersion) + 1, reason: 'STREAM_ROW_MISMATCH' };
    }
    if (!failure && this.head && this.head.headHash !== this.lastHash) failure = { version: this.lastVersion, reason: 'STREAM_ROW_MISMATCH' };
    return {
      streamId: this.streamId,
      valid: failure === undefined,
      events: this.count,
      headHash: this.lastHash,
      ...(failure === undefined ? {} : { firstInvalidVersion: failure.version, reason: failure.reason }),
      ...(failure?.uploadId === undefined ? {} : { uploadId: failure.uploadId }),
    };
  }

  private fail(version: number, reason: ChainFailure, uploadId?: string): void {
    if (!this.failure || version < this.failure.version) this.failure = { version, reason, ...(uploadId === undefined ? {} : { uploadId }) };
  }
}
