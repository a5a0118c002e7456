'use strict';
/**
 * Writes copies of a template lot straight into the event log with COPY, at
 * the database's speed: each copy a new stream (`event_streams` row with its
 * version and head hash), its events, and a signature row per event, as an
 * append writes them. The hashes and signatures are the template event's
 * bytes, unless `hashChains` is set: then each copy's chain is computed as an
 * append computes it (the compiled chainHashes in dist/, which the bench's
 * global setup builds; ~55 us an event). Re-signing a million events would
 * cost minutes of CPU: the benches time, they do not verify (audit:verify
 * would flag the copies). Global positions come from a range the caller
 * reserved, so the signatures can name them in the same pass. One of several
 * such processes: each prepares rows while PostgreSQL copies the other's.
 *
 *   node bench/support/append-copies.js <config.json>
 *
 * config: {databaseUrl, template: {traceCode, streamId, streamType, events:
 *   [{type, schemaVersion, data, metadata, occurredAt, hash, signingKeyId, signature}]}
 *   (data and metadata as JSON text, hash and signature hex, signature may be null),
 *   from, to (copy numbers), firstPosition (of copy `from`'s first event), codePrefix,
 *   copiesPerCopy, hashChains}
 * Copy i is lot `<codePrefix><i>`: every mention of the template's trace code
 * (stream id, data, scan and document ids) replaced. Prints {events}.
 */
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { Client } = require('pg');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (config.hashChains) require('../../dist/libs/platform/src/register-aliases');
const { chainHashes, GENESIS_HASH } = config.hashChains ? require('@app/event-store') : {};
const t = config.template;
const perLot = t.events.length;

/** COPY's text format: backslash, tab, newline and carriage return escaped. */
const text = (s) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
const bytea = (hex) => `\\\\x${hex}`;

/**
 * `COPY ... FROM STDIN` on a pg Client: a submittable that sends `chunks` as
 * the copy data when the server asks for it (what pg-copy-streams does, without
 * the dependency).
 */
const copyIn = (client, sql, chunks) =>
  new Promise((resolve, reject) => {
    client.query({
      submit(connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection) {
        for (const c of chunks) connection.sendCopyFromChunk(Buffer.from(c));
        connection.endCopyFrom();
      },
      handleCommandComplete() {},
      handleReadyForQuery: () => resolve(),
      handleError: (e) => reject(e),
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    });
  });

/** The template's events as COPY text, the trace code still in them (replaced per copy). */
const templateRows = t.events.map((e) => ({
  head: `${text(t.streamId)}\t`,
  tail: `\t${text(e.type)}\t${e.schemaVersion}\t${text(e.data)}\t${text(e.metadata)}\t${e.occurredAt}\t`,
}));

/** Copy i's hashes: the template's, or its own chain. */
const hashesOf = (streamId, swap) =>
  config.hashChains
    ? chainHashes(
        GENESIS_HASH,
        t.events.map((e, v) => ({ streamId, version: v + 1, type: e.type, schemaVersion: e.schemaVersion, data: JSON.parse(swap(e.data)), metadata: JSON.parse(swap(e.metadata)), occurredAt: e.occurredAt })),
      )
    : t.events.map((e) => e.hash);

/** Copy i's stream row, and its events' and signatures' rows, as COPY text lines. */
const copy = (i, firstPosition) => {
  const code = `${config.codePrefix}${i}`;
  const swap = (s) => s.split(t.traceCode).join(code);
  const streamId = swap(t.streamId);
  const hashes = hashesOf(streamId, swap);
  const eventLines = [];
  const signatureLines = [];
  templateRows.forEach((r, v) => {
    const position = firstPosition + v;
    eventLines.push(`${position}\t${randomUUID()}\t${swap(r.head)}${v + 1}${swap(r.tail)}${bytea(hashes[v])}`);
    const s = t.events[v];
    if (s.signature) signatureLines.push(`${position}\t${s.signingKeyId}\t${bytea(s.signature)}`);
  });
  return { stream: [text(streamId), text(t.streamType), perLot, bytea(hashes[perLot - 1])].join('\t'), eventLines, signatureLines };
};

(async () => {
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  let events = 0;
  for (let from = config.from; from < config.to; from += config.copiesPerCopy) {
    const to = Math.min(config.to, from + config.copiesPerCopy);
    const streams = [];
    const rows = [];
    const signatures = [];
    for (let i = from; i < to; i++) {
      const c = copy(i, config.firstPosition + (i - config.from) * perLot);
      streams.push(`${c.stream}\n`);
      rows.push(`${c.eventLines.join('\n')}\n`);
      if (c.signatureLines.length) signatures.push(`${c.signatureLines.join('\n')}\n`);
    }
    await client.query('BEGIN');
    await copyIn(client, `COPY event_streams (stream_id, stream_type, version, head_hash) FROM STDIN`, streams);
    // COPY writes the given global_position into the identity column (as INSERT ... OVERRIDING SYSTEM VALUE would).
    await copyIn(
      client,
      `COPY events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash) FROM STDIN`,
      rows,
    );
    if (signatures.length) await copyIn(client, `COPY event_signatures (global_position, signing_key_id, signature) FROM STDIN`, signatures);
    await client.query('COMMIT');
    events += (to - from) * perLot;
  }
  await client.end();
  console.log(JSON.stringify({ events }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
