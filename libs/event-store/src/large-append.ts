import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { APPENDS_CHANNEL } from './appends-channel';
import { WrongExpectedVersionError } from './event-store.errors';
import { StoredEvent, StreamAppend } from './event-store.types';
import { canonicalJson } from './integrity/canonical-json';
import { eventHashOfParts, GENESIS_HASH } from './integrity/event-hash';
import { EventSigner } from './integrity/event-signature';
import { arrayLiteral, bareArrayLiteral } from './sql-arrays';
import { STREAM_ROWS } from './stream-rows.sql';

/**
 * Events from which an append takes this path (a recall of a family of
 * thousands): below it, APPEND_SQL's one statement, whose signing costs less
 * than a second statement would save.
 */
export const LARGE_APPEND = 2_000;

/**
 * The streams and events of a large append, one statement as APPEND_SQL
 * (the signatures follow in SIGNATURES_SQL). Each column is one text: an
 * array literal (sql-arrays.ts), the data one canonical JSON a line (JSON
 * text has no raw newline); the driver's own encoding of fourteen arrays of
 * 10,000 values took ~150 ms of the api's time in a recall's command. The
 * metadata is sent once per distinct value (a command's events share
 * theirs) and indexed: PostgreSQL parses each once. The events go in only
 * when every stream row did. What the database assigned comes back as one
 * JSON array, and APPENDS_CHANNEL is notified, as by APPEND_SQL (without it,
 * runners in other processes saw a recall only at their next safety poll).
 */
const LARGE_EVENTS_SQL = `
${STREAM_ROWS}, m AS (
    SELECT $15::jsonb[] AS metadata
  ), t AS (
    SELECT * FROM unnest($6::uuid[], $7::text[], $8::int[], $9::text[], $10::int[], string_to_array($11, chr(10)), $12::int[], $13::timestamptz[], $14::text[])
      WITH ORDINALITY AS t(id, stream, version, type, schema_version, data, meta, occurred, hash, n)
  ), inserted AS (
    INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
    SELECT id, stream, version, type, schema_version, data::jsonb, m.metadata[meta], occurred, decode(hash, 'hex') FROM t, m
     WHERE (SELECT count(*) FROM created) + (SELECT count(*) FROM moved) = cardinality($1::text[])
     ORDER BY n
    RETURNING event_id, global_position, recorded_at
  )
  SELECT pg_current_xact_id()::text AS transaction_id,
         json_agg(json_build_array(event_id, global_position::text, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS assigned
    FROM inserted
   WHERE (SELECT pg_notify($16, pg_current_xact_id()::text) IS NOT NULL)`;

/** The events' signatures: $1 their positions, $3 the signatures end to end in the same order, 64 bytes each. */
const SIGNATURES_SQL = `
  INSERT INTO event_signatures (global_position, signing_key_id, signature)
  SELECT p, $2, substring($3::bytea FROM n::int * 64 - 63 FOR 64) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(p, n)`;

/** Hashes handed to the signing thread at a time: it signs each while the rest are hashed. */
const SIGNING_CHUNK = 1_000;

/**
 * A large append's write, in the caller's transaction: each event's chain
 * hash computed once over its canonical text (the data's canonical JSON is
 * also what is stored: jsonb keeps no key order; one metadata text per
 * distinct metadata object), then the events in one statement, then their
 * signatures in another. The hashes are signed on the signing thread a chunk
 * at a time as they are computed, so signing (the append's largest cost)
 * runs on the other core beside the hashing and the events' insert, not
 * before it; the signatures go in within the same transaction, so no other
 * transaction ever sees an event without its signature. (Signing beside the
 * insert on libuv's four pool threads took the cores from PostgreSQL's
 * insert; the one signing thread leaves it one.) Answers the events as
 * stored, in position order.
 */
export const appendLarge = async (
  manager: EntityManager,
  signer: EventSigner,
  writing: readonly StreamAppend[],
  heads: ReadonlyMap<string, { readonly headHash: string }>,
): Promise<StoredEvent[]> => {
  const now = new Date().toISOString();
  const size = writing.reduce((n, a) => n + a.events.length, 0);
  const ids: string[] = new Array(size);
  const streams: string[] = new Array(size);
  const versions: number[] = new Array(size);
  const types: string[] = new Array(size);
  const schemaVersions: number[] = new Array(size);
  const data: string[] = new Array(size);
  const metaIndex: number[] = new Array(size);
  const occurred: string[] = new Array(size);
  const hashes: string[] = new Array(size);
  const metadataJson: string[] = [];
  const metadataParsed: unknown[] = [];
  const metadataOf = new Map<unknown, number>();
  const streamHeads: string[] = [];
  const signing: Promise<Buffer>[] = [];
  let signedUpTo = 0;
  let i = 0;
  for (const a of writing) {
    let previous = heads.get(a.streamId)?.headHash ?? GENESIS_HASH;
    for (let k = 0; k < a.events.length; k++, i++) {
      const event = a.events[k];
      const metadata = event.metadata ?? {};
      let m = metadataOf.get(metadata);
      if (m === undefined) {
        m = metadataJson.length;
        metadataOf.set(metadata, m);
        metadataJson.push(canonicalJson(metadata));
        metadataParsed.push(JSON.parse(metadataJson[m]));
      }
      const version = a.expectedVersion + k + 1;
      // Milliseconds, computed here: what is stored must re-hash identically when read back as a Date.
      const occurredAtIso = new Date(event.occurredAt ?? now).toISOString();
      const dataJson = canonicalJson(event.data);
      const parts = { streamId: a.streamId, version, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata, occurredAt: occurredAtIso };
      previous = eventHashOfParts(previous, parts, dataJson, metadataJson[m]);
      ids[i] = randomUUID();
      streams[i] = a.streamId;
      versions[i] = version;
      types[i] = event.type;
      schemaVersions[i] = event.schemaVersion;
      data[i] = dataJson;
      metaIndex[i] = m + 1;
      occurred[i] = occurredAtIso;
      hashes[i] = previous;
      if (i + 1 - signedUpTo === SIGNING_CHUNK) {
        signing.push(signer.signatureBytes(hashes.slice(signedUpTo, i + 1)));
        signedUpTo = i + 1;
        // The event loop's turn between chunks: hashing 10,000 events in one go held it about a second.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    streamHeads.push(previous);
  }
  if (signedUpTo < size) signing.push(signer.signatureBytes(hashes.slice(signedUpTo)));
  const signed = Promise.all(signing);
  // Awaited once the events are in: a signing failure meanwhile must not go unhandled.
  signed.catch(() => undefined);
  type Answer = { transaction_id: string; assigned: [eventId: string, position: string, recordedAt: string][] | null };
  const [answer]: Answer[] = await manager.query(LARGE_EVENTS_SQL, [
    arrayLiteral(writing.map((a) => a.streamId)),
    arrayLiteral(writing.map((a) => a.streamType)),
    bareArrayLiteral(writing.map((a) => a.expectedVersion)),
    bareArrayLiteral(writing.map((a) => a.expectedVersion + a.events.length)),
    bareArrayLiteral(streamHeads),
    bareArrayLiteral(ids),
    arrayLiteral(streams),
    bareArrayLiteral(versions),
    arrayLiteral(types),
    bareArrayLiteral(schemaVersions),
    data.join('\n'),
    bareArrayLiteral(metaIndex),
    bareArrayLiteral(occurred),
    bareArrayLiteral(hashes),
    metadataJson,
    APPENDS_CHANNEL,
  ]);
  const assigned = answer?.assigned ?? [];
  if (assigned.length !== size) {
    // Nothing was written: a stream this append creates was created by a transaction that committed since the check.
    const first = writing.find((a) => a.expectedVersion === 0) ?? writing[0];
    throw new WrongExpectedVersionError(first.streamId, first.expectedVersion, null);
  }
  const at = new Map<string, number>();
  for (let n = 0; n < size; n++) at.set(ids[n], n);
  const positions: string[] = new Array(size);
  for (const r of assigned) positions[at.get(r[0])!] = r[1];
  const signatures = Buffer.concat(await signed);
  // Written while the events are made ready below; awaited before they are answered.
  const writingSignatures: Promise<unknown> = manager.query(SIGNATURES_SQL, [bareArrayLiteral(positions), signer.signingKeyId, signatures]);
  writingSignatures.catch(() => undefined);
  const signaturesHex = signatures.toString('hex');
  const stored: StoredEvent[] = new Array(size);
  for (const r of assigned) {
    const n = at.get(r[0])!;
    const dataJson = data[n];
    let parsed: unknown;
    stored[n] = {
      eventId: ids[n],
      streamId: streams[n],
      version: versions[n],
      type: types[n],
      schemaVersion: schemaVersions[n],
      // As read back from jsonb (what readers will see), parsed when first read: most of a recall's
      // events are read by no inline projection, and 10,000 parses were a tenth of its CPU here.
      get data() {
        return (parsed ??= JSON.parse(dataJson));
      },
      metadata: metadataParsed[metaIndex[n] - 1] as StoredEvent['metadata'],
      occurredAt: occurred[n],
      recordedAt: r[2],
      globalPosition: Number(r[1]),
      transactionId: answer.transaction_id,
      hash: hashes[n],
      signature: { signingKeyId: signer.signingKeyId, signature: signaturesHex.slice(n * 128, n * 128 + 128) },
    };
  }
  stored.sort((a, b) => a.globalPosition - b.globalPosition);
  await writingSignatures;
  return stored;
};
