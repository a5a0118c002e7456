import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * What an event's hash covers. Not its id, global position, transaction or
 * recordedAt: the store assigns those at insert, and a chain computed before
 * the insert (inside the append transaction) must still verify when re-read.
 */
export interface HashedEvent {
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  /** Hashed as `new Date(occurredAt).toISOString()`: millisecond precision, what a JavaScript Date holds. */
  readonly occurredAt: string | Date;
}

/** What the hash covers, as an `events` row holds it. */
export interface HashedEventRow {
  readonly stream_id: string;
  readonly stream_version: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly occurred_at: Date;
}

/** The hashed fields of an event read as a row (the checks re-hash from these, never from the stored hash). */
export const hashedEventOf = (r: HashedEventRow): HashedEvent => ({
  streamId: r.stream_id,
  version: r.stream_version,
  type: r.type,
  schemaVersion: r.schema_version,
  data: r.data,
  metadata: r.metadata,
  occurredAt: r.occurred_at,
});

/** The "previous hash" of every stream's first event: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/** How a hash is written everywhere: 64 lowercase hex digits. */
export const HASH_HEX = /^[0-9a-f]{64}$/;

/** The bytes hashed after the previous hash, as text: canonical JSON of the hashed fields. */
export const canonicalEvent = (e: HashedEvent): string =>
  canonicalJson({
    streamId: e.streamId,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    occurredAt: new Date(e.occurredAt).toISOString(),
  });

/** SHA-256(previous hash bytes || UTF-8 of canonicalEvent(e)), lowercase hex. */
export const eventHash = (previousHash: string, e: HashedEvent): string => eventHashOfText(previousHash, canonicalEvent(e));

/** Hashes a stream's next events in version order, chained from `previousHash` (GENESIS_HASH for a new stream). */
export const chainHashes = (previousHash: string, events: readonly HashedEvent[]): string[] => {
  const hashes: string[] = [];
  let previous = previousHash;
  for (const e of events) {
    previous = eventHash(previous, e);
    hashes.push(previous);
  }
  return hashes;
};

/** An object canonicalJson writes as a member exactly as on its own: plain, no toJSON of its own. */
const isPlainObject = (v: unknown): v is object => {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * canonicalEvent's text from its parts, with the data's and metadata's
 * canonical JSON given (a large append writes each once and shares one
 * metadata text across its events): the same bytes, the members in their
 * sorted order. Null when a part is not a plain object (then canonicalEvent).
 */
/** An event's hashed fields, its time already as toISOString writes it (what canonicalEvent would make of it). */
export interface EventParts extends HashedEvent {
  readonly occurredAt: string;
}

export const canonicalEventOf = (e: EventParts, dataJson: string, metadataJson: string): string | null => {
  if (!isPlainObject(e.data) || !isPlainObject(e.metadata) || !Number.isFinite(e.version) || !Number.isFinite(e.schemaVersion)) return null;
  return (
    `{"data":${dataJson},"metadata":${metadataJson},"occurredAt":${JSON.stringify(e.occurredAt)},"schemaVersion":${JSON.stringify(e.schemaVersion)},` +
    `"streamId":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)},"version":${JSON.stringify(e.version)}}`
  );
};

/** SHA-256(previous hash bytes || UTF-8 of an event's canonical text already written: canonicalEvent or canonicalEventOf), lowercase hex. */
export const eventHashOfText = (previousHash: string, canonical: string): string => {
  if (!HASH_HEX.test(previousHash)) throw new Error(`eventHash: previous hash is not 64 lowercase hex digits: "${previousHash}"`);
  return createHash('sha256').update(Buffer.from(previousHash, 'hex')).update(canonical, 'utf8').digest('hex');
};

/**
 * eventHash of an event whose data's and metadata's canonical JSON are
 * written already (an append writes each once, for the hash and the row):
 * canonicalEventOf's text, canonicalEvent's when a part is not a plain object.
 */
export const eventHashOfParts = (previousHash: string, e: EventParts, dataJson: string, metadataJson: string): string =>
  eventHashOfText(previousHash, canonicalEventOf(e, dataJson, metadataJson) ?? canonicalEvent(e));
