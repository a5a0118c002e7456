import { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { isLotStreamId, traceCodeOfStream } from '@app/domain';
import { EventSignature, HASH_HEX, SIGNATURE_HEX, SIGNING_KEY_ID, StoredEvent } from '@app/event-store';

/** Header names on every lot-event message (values are UTF-8 strings). */
export const HEADERS = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  globalPosition: 'global-position',
  streamVersion: 'stream-version',
  traceCode: 'trace-code',
} as const;

/** A message no code version can apply; it goes to the dead-letter topic, not back into a retry loop. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export const traceCodeOf = traceCodeOfStream;

/**
 * The wire format: plain JSON of the stored envelope (with its chain hash,
 * and its signature and signing key id when it has them, so a consumer can
 * check it against GET /api/audit/keys), keyed by trace code so a lot's
 * events share a partition.
 */
export const toLotEventMessage = (e: StoredEvent): Message => ({
  key: traceCodeOf(e.streamId),
  value: JSON.stringify({
    eventId: e.eventId,
    streamId: e.streamId,
    version: e.version,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: e.metadata,
    occurredAt: e.occurredAt,
    recordedAt: e.recordedAt,
    globalPosition: e.globalPosition,
    hash: e.hash,
    ...(e.signature ? { signingKeyId: e.signature.signingKeyId, signature: e.signature.signature } : {}),
  }),
  headers: {
    [HEADERS.eventId]: e.eventId,
    [HEADERS.eventType]: e.type,
    [HEADERS.schemaVersion]: String(e.schemaVersion),
    [HEADERS.globalPosition]: String(e.globalPosition),
    [HEADERS.streamVersion]: String(e.version),
    [HEADERS.traceCode]: traceCodeOf(e.streamId),
  },
});

/** Where a recall notification goes when the lot's whereabouts are unknown. */
export const UNKNOWN_FACILITY_KEY = 'UNKNOWN';

interface RecalledData {
  recallId: string;
  origin: string;
  reason: string;
  source: string;
  recalledAt: string;
  holderFacilityId: string | null;
}

/** A recall notification for one lot, keyed by the facility holding it (headers name the recall and the lot). */
export const toRecallMessage = (e: StoredEvent): Message => {
  const d = e.data as RecalledData;
  return {
    key: d.holderFacilityId ?? UNKNOWN_FACILITY_KEY,
    value: JSON.stringify({
      recallId: d.recallId,
      traceCode: traceCodeOf(e.streamId),
      origin: d.origin,
      reason: d.reason,
      source: d.source,
      recalledAt: d.recalledAt,
      holderFacilityId: d.holderFacilityId,
      eventId: e.eventId,
      globalPosition: e.globalPosition,
    }),
    headers: {
      [HEADERS.eventId]: e.eventId,
      [HEADERS.traceCode]: traceCodeOf(e.streamId),
      'recall-id': d.recallId,
    },
  };
};

const str = (o: Record<string, unknown>, k: string): string => {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0) throw new PoisonMessageError(`field ${k} is not a non-empty string`);
  return v;
};
const posInt = (o: Record<string, unknown>, k: string): number => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new PoisonMessageError(`field ${k} is not a positive integer`);
  return v;
};

/** A lowercase-hex SHA-256 when present; absent on messages published before events were hashed (then ''). */
const hashOf = (o: Record<string, unknown>): string => {
  const v = o.hash;
  if (v === undefined) return '';
  if (typeof v !== 'string' || !HASH_HEX.test(v)) throw new PoisonMessageError('field hash is not 64 lowercase hex digits');
  return v;
};

/** Both or neither: absent on messages published before events were signed. */
const signatureOf = (o: Record<string, unknown>): EventSignature | null => {
  const { signingKeyId, signature } = o;
  if (signingKeyId === undefined && signature === undefined) return null;
  if (typeof signingKeyId !== 'string' || !SIGNING_KEY_ID.test(signingKeyId)) throw new PoisonMessageError('field signingKeyId is not 16 lowercase hex digits');
  if (typeof signature !== 'string' || !SIGNATURE_HEX.test(signature)) throw new PoisonMessageError('field signature is not 128 lowercase hex digits');
  return { signingKeyId, signature };
};

/** Parses and checks the envelope; anything malformed is poison. (The event body is checked when applied.) */
export const fromLotEventMessage = (message: Pick<KafkaMessage, 'value'>): StoredEvent => {
  if (!message.value) throw new PoisonMessageError('message has no value');
  let raw: unknown;
  try {
    raw = JSON.parse(message.value.toString('utf8'));
  } catch {
    throw new PoisonMessageError('message value is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PoisonMessageError('message value is not a JSON object');
  const o = raw as Record<string, unknown>;
  const streamId = str(o, 'streamId');
  if (!isLotStreamId(streamId)) throw new PoisonMessageError(`stream ${streamId} is not a lot stream`);
  const data = o.data;
  if (typeof data !== 'object' || data === null) throw new PoisonMessageError('field data is not an object');
  const metadata = typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as Record<string, unknown>) : {};
  return {
    eventId: str(o, 'eventId'),
    streamId,
    version: posInt(o, 'version'),
    type: str(o, 'type'),
    schemaVersion: posInt(o, 'schemaVersion'),
    data,
    metadata,
    occurredAt: str(o, 'occurredAt'),
    recordedAt: str(o, 'recordedAt'),
    globalPosition: posInt(o, 'globalPosition'),
    transactionId: '0',
    hash: hashOf(o),
    signature: signatureOf(o),
  };
};

export const headerString = (headers: IHeaders | undefined, name: string): string | undefined => {
  const v = headers?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
};
