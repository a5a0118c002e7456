import { createHash } from 'node:crypto';
import { ChainCheck, ChainVerdict } from '../integrity/chain-check';
import { HASH_HEX } from '../integrity/event-hash';
import { SIGNATURE_HEX, SIGNING_KEY_ID } from '../integrity/event-signature';
import { LogDigest } from '../integrity/log-digest';
import { RecordedUpload, recordedUploadOf, uploadFailure } from '../integrity/readings-check';

/**
 * The backup file: gzip of UTF-8 JSON lines, in this order:
 *
 *   header        format, version, counts, head position
 *   stream ...    every event_streams row, stream id in byte order
 *   event ...     every event, global position ascending
 *   idempotency . every idempotency key, key in byte order
 *   temperatureUpload  every temperature_uploads row (an upload's readings), upload id ascending
 *   end           counts again, the log digest, SHA-256 of every line above
 *
 * Sections in a fixed order let the import check each line as it streams
 * past (a stream before its events, positions ascending, keys unique) and
 * hold only one ChainCheck a stream, never the events.
 */
export const BACKUP_FORMAT = 'coldtrace-event-log';
/**
 * 2: event lines carry the event's signature and signing key id. 3: the
 * temperature uploads (their readings) follow the idempotency keys. Version
 * 1 files (no signatures) and 2 (no uploads) are still read.
 */
export const BACKUP_VERSION = 3;
const READABLE_VERSIONS: readonly number[] = [1, 2, 3];

/**
 * Every column of the store's tables that this version writes and reads back.
 * Export and import refuse a store with any other column: a later migration
 * that adds one must add it here (and to the lines), never be dropped silently.
 */
export const STORE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  event_streams: ['stream_id', 'stream_type', 'version', 'head_hash', 'created_at', 'updated_at'],
  events: [
    'global_position',
    'transaction_id',
    'event_id',
    'stream_id',
    'stream_version',
    'type',
    'schema_version',
    'data',
    'metadata',
    'occurred_at',
    'recorded_at',
    'hash',
  ],
  idempotency_keys: ['key', 'request_hash', 'stream_id', 'result', 'created_at'],
  event_signatures: ['global_position', 'signing_key_id', 'signature'],
  // Part of the record though a read-model migration makes it: the readings TemperaturesRecorded events digest.
  temperature_uploads: ['upload_id', 'trace_code', 'device_id', 'facility_id', 'recorded_at', 'at', 'celsius'],
};

export interface BackupCounts {
  readonly streams: number;
  readonly events: number;
  readonly idempotencyKeys: number;
  /** Absent before version 3 (none). */
  readonly temperatureUploads?: number;
}

export interface BackupHeader {
  readonly kind: 'header';
  readonly format: typeof BACKUP_FORMAT;
  readonly version: number;
  readonly exportedAt: string;
  /** The order of the event lines; the only one this version writes. */
  readonly order: 'global_position';
  readonly counts: BackupCounts;
  /** The last event's global position (0 for none). */
  readonly headPosition: number;
}

export interface StreamRecord {
  readonly kind: 'stream';
  readonly streamId: string;
  readonly streamType: string;
  readonly version: number;
  readonly headHash: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface EventRecord {
  readonly kind: 'event';
  readonly globalPosition: number;
  /** The source's transaction id: kept for the record, not restored (see docs/operations.md, Backup and restore). */
  readonly transactionId: string;
  readonly eventId: string;
  readonly streamId: string;
  readonly version: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: Record<string, unknown>;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly hash: string;
  /** The event's signature and the key that made it; null on an event not signed yet, absent in a version 1 file. */
  readonly signingKeyId?: string | null;
  readonly signature?: string | null;
}

export interface IdempotencyRecord {
  readonly kind: 'idempotency';
  readonly key: string;
  readonly requestHash: string;
  readonly streamId: string;
  readonly result: unknown;
  readonly createdAt: string;
}

/** One upload's readings, as `temperature_uploads` holds them: times to the microsecond, in stored order. */
export interface TemperatureUploadRecord {
  readonly kind: 'temperatureUpload';
  readonly uploadId: string;
  readonly traceCode: string;
  readonly deviceId: string;
  readonly facilityId: string | null;
  readonly recordedAt: string;
  readonly at: string[];
  readonly celsius: number[];
}

export interface BackupTrailer {
  readonly kind: 'end';
  readonly counts: BackupCounts;
  /** LogDigest over the stream lines: what `audit:verify` prints for the restored log. */
  readonly logDigest: string;
  /** SHA-256 (hex) of every line before this one, each with its newline, as UTF-8. */
  readonly sha256: string;
}

export type BackupRecord = BackupHeader | StreamRecord | EventRecord | IdempotencyRecord | TemperatureUploadRecord | BackupTrailer;

/** A file this version cannot restore faithfully: bad gzip, bad line, out of order, counts or hashes that do not hold. */
export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

// ------------------------------------------------------------------ writing

/** Rows as the exporter selects them: timestamps already ISO text, JSON columns as the server's text (spliced, never re-parsed). */
export interface EventRow {
  readonly global_position: string;
  readonly transaction_id: string;
  readonly event_id: string;
  readonly stream_id: string;
  readonly stream_version: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: string;
  readonly metadata: string;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly hash: string;
  readonly signing_key_id: string | null;
  readonly signature: string | null;
}

export interface StreamRow {
  readonly stream_id: string;
  readonly stream_type: string;
  readonly version: number;
  readonly head_hash: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface IdempotencyRow {
  readonly key: string;
  readonly request_hash: string;
  readonly stream_id: string;
  readonly result: string;
  readonly created_at: string;
}

/** `at` and `celsius` as JSON the server printed (times to the microsecond, values as real prints them): spliced, not re-parsed. */
export interface TemperatureUploadRow {
  readonly upload_id: string;
  readonly trace_code: string;
  readonly device_id: string;
  readonly facility_id: string | null;
  readonly recorded_at: string;
  readonly at: string;
  readonly celsius: string;
}

const str = JSON.stringify;

export const headerLine = (h: Omit<BackupHeader, 'kind' | 'format' | 'version' | 'order'>): string =>
  str({ kind: 'header', format: BACKUP_FORMAT, version: BACKUP_VERSION, exportedAt: h.exportedAt, order: 'global_position', counts: h.counts, headPosition: h.headPosition });

export const streamLine = (r: StreamRow): string =>
  str({ kind: 'stream', streamId: r.stream_id, streamType: r.stream_type, version: r.version, headHash: r.head_hash, createdAt: r.created_at, updatedAt: r.updated_at });

/** Built by hand so `data` and `metadata` go out as jsonb printed them: a million events are not parsed and re-serialised. */
export const eventLine = (r: EventRow): string =>
  `{"kind":"event","globalPosition":${Number(r.global_position)},"transactionId":${str(r.transaction_id)},"eventId":${str(r.event_id)},` +
  `"streamId":${str(r.stream_id)},"version":${r.stream_version},"type":${str(r.type)},"schemaVersion":${r.schema_version},` +
  `"data":${r.data},"metadata":${r.metadata},"occurredAt":${str(r.occurred_at)},"recordedAt":${str(r.recorded_at)},"hash":${str(r.hash)},` +
  `"signingKeyId":${str(r.signing_key_id)},"signature":${str(r.signature)}}`;

export const idempotencyLine = (r: IdempotencyRow): string =>
  `{"kind":"idempotency","key":${str(r.key)},"requestHash":${str(r.request_hash)},"streamId":${str(r.stream_id)},` +
  `"result":${r.result},"createdAt":${str(r.created_at)}}`;

export const temperatureUploadLine = (r: TemperatureUploadRow): string =>
  `{"kind":"temperatureUpload","uploadId":${str(r.upload_id)},"traceCode":${str(r.trace_code)},"deviceId":${str(r.device_id)},` +
  `"facilityId":${str(r.facility_id)},"recordedAt":${str(r.recorded_at)},"at":${r.at},"celsius":${r.celsius}}`;

export const trailerLine = (t: Omit<BackupTrailer, 'kind'>): string =>
  str({ kind: 'end', counts: t.counts, logDigest: t.logDigest, sha256: t.sha256 });

// ------------------------------------------------------------------ reading

/** Splits decoded text chunks into lines; a last line without its newline is still yielded (the trailer check catches a cut). */
export async function* linesOf(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    rest += chunk;
    let at = rest.indexOf('\n');
    let from = 0;
    while (at !== -1) {
      yield rest.slice(from, at);
      from = at + 1;
      at = rest.indexOf('\n', from);
    }
    rest = rest.slice(from);
  }
  if (rest.length > 0) yield rest;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const XID = /^\d{1,20}$/;

type Check = (v: unknown) => boolean;
const isText: Check = (v) => typeof v === 'string' && v.length > 0;
const isPositiveInt: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;
const isCount: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const matches = (re: RegExp): Check => (v) => typeof v === 'string' && re.test(v);
const isObject: Check = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** temperatureUploads: from version 3 on (checked with the version, at the header). */
const isCounts: Check = (v) =>
  isObject(v) &&
  ['streams', 'events', 'idempotencyKeys'].every((k) => isCount((v as Record<string, unknown>)[k])) &&
  ((v as Record<string, unknown>).temperatureUploads === undefined || isCount((v as Record<string, unknown>).temperatureUploads));
const isPresent: Check = (v) => v !== undefined;
const orNull = (check: Check): Check => (v) => v === undefined || v === null || check(v);

const SHAPES: Record<BackupRecord['kind'], Record<string, Check>> = {
  header: {
    format: (v) => v === BACKUP_FORMAT,
    version: (v) => READABLE_VERSIONS.includes(v as number),
    exportedAt: matches(TIMESTAMP),
    order: (v) => v === 'global_position',
    counts: isCounts,
    headPosition: isCount,
  },
  stream: {
    streamId: isText,
    streamType: isText,
    version: isPositiveInt,
    headHash: matches(HASH_HEX),
    createdAt: matches(TIMESTAMP),
    updatedAt: matches(TIMESTAMP),
  },
  event: {
    globalPosition: isPositiveInt,
    transactionId: matches(XID),
    eventId: matches(UUID),
    streamId: isText,
    version: isPositiveInt,
    type: isText,
    schemaVersion: isPositiveInt,
    data: isPresent,
    metadata: isObject,
    occurredAt: matches(TIMESTAMP),
    recordedAt: matches(TIMESTAMP),
    hash: matches(HASH_HEX),
    signingKeyId: orNull(matches(SIGNING_KEY_ID)),
    signature: orNull(matches(SIGNATURE_HEX)),
  },
  idempotency: {
    key: isText,
    requestHash: isText,
    streamId: isText,
    result: isPresent,
    createdAt: matches(TIMESTAMP),
  },
  temperatureUpload: {
    uploadId: matches(UUID),
    traceCode: isText,
    deviceId: isText,
    facilityId: orNull(isText),
    recordedAt: matches(TIMESTAMP),
    at: (v) => Array.isArray(v) && v.length > 0 && v.every(matches(TIMESTAMP)),
    celsius: (v) => Array.isArray(v) && v.every((c) => typeof c === 'number' && Number.isFinite(c)),
  },
  end: { counts: isCounts, logDigest: matches(HASH_HEX), sha256: matches(HASH_HEX) },
};

/** One line to a typed record, or a BackupFileError naming the line and what is wrong with it. */
export const parseBackupLine = (text: string, lineNumber: number): BackupRecord => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BackupFileError(`line ${lineNumber}: not JSON (${text.length > 60 ? `${text.slice(0, 60)}...` : text})`);
  }
  if (!isObject(value)) throw new BackupFileError(`line ${lineNumber}: not a JSON object`);
  const record = value as Record<string, unknown>;
  const kind = record.kind as BackupRecord['kind'];
  const shape = typeof kind === 'string' ? SHAPES[kind] : undefined;
  if (!shape || !Object.hasOwn(SHAPES, kind)) throw new BackupFileError(`line ${lineNumber}: unknown kind ${str(record.kind)}`);
  for (const [field, ok] of Object.entries(shape)) {
    if (!ok(record[field])) {
      const versions = `${READABLE_VERSIONS.slice(0, -1).join(', ')} and ${READABLE_VERSIONS[READABLE_VERSIONS.length - 1]}`;
      const hint = kind === 'header' && (field === 'format' || field === 'version') ? ` (this import reads ${BACKUP_FORMAT} versions ${versions})` : '';
      throw new BackupFileError(`line ${lineNumber}: ${kind} has a missing or invalid ${field}: ${str(record[field]) ?? 'undefined'}${hint}`);
    }
  }
  return record as unknown as BackupRecord;
};

export interface BackupSummary {
  readonly header: BackupHeader;
  readonly counts: BackupCounts;
  readonly headPosition: number;
  readonly logDigest: string;
}

const SECTION: Record<BackupRecord['kind'], number> = { header: 0, stream: 1, event: 2, idempotency: 3, temperatureUpload: 4, end: 5 };
/** Broken streams named in the refusal; the rest are counted. */
const NAMED_FAILURES = 5;

/**
 * Checks a backup line by line in file order, in memory a stream at a time:
 * the header first, sections in order, stream ids and keys strictly
 * ascending, positions strictly ascending, each event's stream declared
 * before it and its hash chain re-computed (ChainCheck against the stream
 * line's version and head hash), each upload's readings against the digest
 * its TemperaturesRecorded event records (uploadFailure, as the lot
 * verification does), and at the end the counts, the log digest, the SHA-256
 * of every line and that no upload an event records is missing. `finish`
 * throws unless the end line came.
 */
export class BackupVerifier {
  private readonly sha = createHash('sha256');
  private readonly digest = new LogDigest();
  private readonly chains = new Map<string, ChainCheck>();
  private header: BackupHeader | null = null;
  private trailer: BackupTrailer | null = null;
  private section = -1;
  private line = 0;
  private streams = 0;
  private events = 0;
  private keys = 0;
  private temperatureUploads = 0;
  private lastPosition = 0;
  private lastKey: Buffer | null = null;
  private lastUpload = '';
  /** Each upload a TemperaturesRecorded event names, until its line comes: what the event records (null: recorded before digests). */
  private readonly recordedUploads = new Map<string, RecordedUpload | null>();

  /** The next line (without its newline); answers what it holds, checked. */
  next(text: string): BackupRecord {
    this.line++;
    if (this.trailer) throw new BackupFileError(`line ${this.line}: found after the end line`);
    let record: BackupRecord;
    try {
      record = parseBackupLine(text, this.line);
    } catch (e) {
      // A first line that is not even a record: say what the file is not, not only what the line lacks.
      if (this.line === 1 && e instanceof BackupFileError) throw new BackupFileError(`not a ${BACKUP_FORMAT} backup: ${e.message}`);
      throw e;
    }
    const section = SECTION[record.kind];
    if (this.section === -1 && record.kind !== 'header') throw new BackupFileError(`line 1: not a ${BACKUP_FORMAT} backup (no header)`);
    if (section < this.section || (record.kind === 'header' && this.section !== -1)) {
      throw new BackupFileError(`line ${this.line}: a ${record.kind} line after the ${Object.keys(SECTION)[this.section]} lines`);
    }
    this.section = section;
    switch (record.kind) {
      case 'header':
        if (record.version >= 3 && record.counts.temperatureUploads === undefined) {
          throw new BackupFileError(`line ${this.line}: header has a missing or invalid counts: a version ${record.version} header counts temperatureUploads`);
        }
        this.header = record;
        break;
      case 'stream':
        this.stream(record);
        break;
      case 'event':
        this.event(record);
        break;
      case 'idempotency':
        this.idempotency(record);
        break;
      case 'temperatureUpload':
        this.temperatureUpload(record);
        break;
      case 'end':
        this.end(record);
        return record;
    }
    this.sha.update(text, 'utf8').update('\n');
    return record;
  }

  /** After the last line: throws unless the file was whole and every check held. */
  finish(): BackupSummary {
    if (!this.header) throw new BackupFileError('empty file: no header');
    if (!this.trailer) throw new BackupFileError(`truncated: no end line after line ${this.line} (${this.describeCounts(this.counts())} read)`);
    const broken: ChainVerdict[] = [];
    let brokenCount = 0;
    for (const chain of this.chains.values()) {
      const verdict = chain.verdict();
      if (verdict.valid) continue;
      brokenCount++;
      if (broken.length < NAMED_FAILURES) broken.push(verdict);
    }
    if (brokenCount > 0) {
      const named = broken.map((v) => `${v.streamId} (first invalid version ${v.firstInvalidVersion})`).join(', ');
      throw new BackupFileError(`hash chains do not verify in ${brokenCount} stream(s): ${named}${brokenCount > broken.length ? ', ...' : ''}`);
    }
    return { header: this.header, counts: this.counts(), headPosition: this.lastPosition, logDigest: this.trailer.logDigest };
  }

  private stream(r: StreamRecord): void {
    try {
      this.digest.add(r.streamId, r.version, r.headHash);
    } catch {
      throw new BackupFileError(`line ${this.line}: stream ${r.streamId} is not after the previous stream in byte order (repeated or out of order)`);
    }
    this.chains.set(r.streamId, new ChainCheck(r.streamId, { version: r.version, headHash: r.headHash }));
    this.streams++;
    this.notOver('streams', this.streams);
  }

  private event(r: EventRecord): void {
    if (r.globalPosition <= this.lastPosition) {
      throw new BackupFileError(`line ${this.line}: position ${r.globalPosition} is not after ${this.lastPosition} (repeated or out of order)`);
    }
    const chain = this.chains.get(r.streamId);
    if (!chain) throw new BackupFileError(`line ${this.line}: event ${r.eventId} belongs to stream ${r.streamId}, which has no stream line`);
    if ((r.signingKeyId ?? null) === null !== ((r.signature ?? null) === null)) {
      throw new BackupFileError(`line ${this.line}: event ${r.eventId} has a signature without its signing key id, or a key id without a signature`);
    }
    chain.add(r);
    const recorded = recordedUploadOf(r);
    if (recorded) this.recordedUploads.set(recorded.uploadId, recorded);
    else if (r.type === 'TemperaturesRecorded') this.recordedUploads.set(String((r.data as { uploadId?: unknown } | null)?.uploadId), null);
    this.lastPosition = r.globalPosition;
    this.events++;
    this.notOver('events', this.events);
  }

  private idempotency(r: IdempotencyRecord): void {
    const key = Buffer.from(r.key, 'utf8');
    if (this.lastKey && Buffer.compare(this.lastKey, key) >= 0) {
      throw new BackupFileError(`line ${this.line}: idempotency key ${r.key} is not after the previous key in byte order (repeated or out of order)`);
    }
    this.lastKey = key;
    this.keys++;
    this.notOver('idempotencyKeys', this.keys);
  }

  private temperatureUpload(r: TemperatureUploadRecord): void {
    if (r.uploadId <= this.lastUpload) {
      throw new BackupFileError(`line ${this.line}: upload ${r.uploadId} is not after the previous upload (repeated or out of order)`);
    }
    this.lastUpload = r.uploadId;
    if (r.at.length !== r.celsius.length) throw new BackupFileError(`line ${this.line}: upload ${r.uploadId} has ${r.at.length} times and ${r.celsius.length} values`);
    if (!this.recordedUploads.has(r.uploadId)) throw new BackupFileError(`line ${this.line}: upload ${r.uploadId} is recorded by no TemperaturesRecorded event in the file`);
    const recorded = this.recordedUploads.get(r.uploadId)!;
    this.recordedUploads.delete(r.uploadId);
    const failure = recorded && uploadFailure(recorded, r);
    if (failure) {
      throw new BackupFileError(`line ${this.line}: upload ${r.uploadId} of lot ${r.traceCode} is not what its event records (${failure}: its lot, device, count or readings digest differ)`);
    }
    this.temperatureUploads++;
    this.notOver('temperatureUploads', this.temperatureUploads);
  }

  private end(t: BackupTrailer): void {
    const header = this.header!;
    const counts = this.counts();
    for (const [name, declared] of [
      ['header', header.counts],
      ['end line', t.counts],
    ] as const) {
      if (
        declared.streams !== counts.streams ||
        declared.events !== counts.events ||
        declared.idempotencyKeys !== counts.idempotencyKeys ||
        (declared.temperatureUploads ?? 0) !== counts.temperatureUploads
      ) {
        throw new BackupFileError(`the ${name} declares ${this.describeCounts(declared)}, the file holds ${this.describeCounts(counts)}`);
      }
    }
    if (header.headPosition !== this.lastPosition) {
      throw new BackupFileError(`the header declares head position ${header.headPosition}, the last event is at ${this.lastPosition}`);
    }
    const sha = this.sha.digest('hex');
    if (sha !== t.sha256) throw new BackupFileError(`the lines do not hash to the end line's SHA-256 (${sha} != ${t.sha256}): the file was altered`);
    const digest = this.digest.digest();
    if (digest !== t.logDigest) throw new BackupFileError(`the stream heads do not digest to the end line's log digest (${digest} != ${t.logDigest})`);
    const missing = [...this.recordedUploads].filter(([, recorded]) => recorded !== null);
    if (missing.length > 0) {
      const named = missing.slice(0, NAMED_FAILURES).map(([id, recorded]) => `${id} (lot ${recorded!.traceCode})`);
      throw new BackupFileError(`${missing.length} upload(s) recorded by events are not in the file (READINGS_MISSING): ${named.join(', ')}${missing.length > named.length ? ', ...' : ''}`);
    }
    this.trailer = t;
  }

  private notOver(what: keyof BackupCounts, n: number): void {
    const declared = this.header!.counts[what] ?? 0;
    if (n > declared) throw new BackupFileError(`line ${this.line}: more ${what} than the header declares (${declared})`);
  }

  private counts(): BackupCounts {
    return { streams: this.streams, events: this.events, idempotencyKeys: this.keys, temperatureUploads: this.temperatureUploads };
  }

  private describeCounts(c: BackupCounts): string {
    return `${c.streams} streams, ${c.events} events, ${c.idempotencyKeys} idempotency keys, ${c.temperatureUploads ?? 0} temperature uploads`;
  }
}
