import type { EventSignature } from './integrity/event-signature';

/** Who and what caused an event; travels with it forever. */
export interface EventMetadata {
  /** The credential that wrote it: `{keyId, name, role}` (a plain name on events from before credentials existed). */
  readonly actor?: { readonly keyId: string; readonly name: string; readonly role: string } | string;
  readonly facilityId?: string;
  readonly scanId?: string;
  readonly correlationId?: string;
  /** The HTTP request that wrote it (`x-request-id`), as its access log line names it. */
  readonly requestId?: string;
  readonly causationId?: string;
  readonly [key: string]: unknown;
}

export interface NewEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata?: EventMetadata;
  /** When it happened in the world; defaults to when it was appended. Stored (and hashed) to the millisecond. */
  readonly occurredAt?: string;
}

export interface StoredEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly globalPosition: number;
  /** The writing transaction's id (xid8, as a decimal string): the subscription orders by it. */
  readonly transactionId: string;
  /**
   * SHA-256 (lowercase hex) over the previous event's hash in this stream and
   * the event's canonical encoding (integrity/event-hash.ts): the stream's chain.
   * '' only on an event read from a Kafka message published before events were hashed.
   */
  readonly hash: string;
  /**
   * The api's Ed25519 signature over `hash` and the id of the key that made it
   * (integrity/event-signature.ts). Null on an event written before events were
   * signed and not signed since, or read from a Kafka message published then.
   */
  readonly signature: EventSignature | null;
}

export interface StreamSlice {
  readonly streamId: string;
  /** 0 when the stream does not exist. */
  readonly version: number;
  readonly events: StoredEvent[];
}

export interface AppendResult {
  readonly streamId: string;
  readonly nextVersion: number;
  /** Global position of the last event appended (or of the stream's last event when nothing was appended). */
  readonly position: number;
  readonly events: StoredEvent[];
}

/** A command's result kept under its idempotency key: a retry of the same request gets it back. */
export interface RecordedResult {
  readonly key: string;
  readonly requestHash: string;
  /** The stream the command was about (for operators reading the table). */
  readonly streamId: string;
  readonly result: unknown;
}

/** One stream's share of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly streamType: string;
  /** 0 = the stream must not exist yet. */
  readonly expectedVersion: number;
  readonly events: readonly NewEvent[];
}

export interface AppendManyResult {
  /** The highest global position written (or the first stream's last position when nothing was). */
  readonly position: number;
  readonly streams: AppendResult[];
  readonly events: StoredEvent[];
}

/** Runs inside every append's transaction (Marten's "inline projection"): for indexes commands must read consistently. */
export type InlineProjection = (events: readonly StoredEvent[], manager: import('typeorm').EntityManager) => Promise<void>;

/** A subscription's position: the pair it has processed up to, in (transaction id, global position) order. */
export interface Checkpoint {
  readonly transactionId: string;
  readonly globalPosition: number;
}

export const START: Checkpoint = { transactionId: '0', globalPosition: 0 };
