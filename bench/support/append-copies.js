'use strict';
/**
 * Appends copies of a template lot through the event store's own appendMany
 * (hash chains computed at append, as for any command), many new streams per
 * transaction. One of several such processes, so hashing uses every core
 * while PostgreSQL inserts. Uses the compiled code in dist/ (the bench's
 * global setup builds it).
 *
 *   node bench/support/append-copies.js <config.json>
 *
 * config: {databaseUrl, template: {traceCode, streamId, streamType, events:
 *   [{type, schemaVersion, data, metadata, occurredAt}]} (data and metadata as
 *   JSON text), from, to (copy numbers), codePrefix, streamsPerAppend, inFlight}
 * Copy i is lot `<codePrefix><i>`: every mention of the template's trace code
 * (stream id, data, scan and document ids) replaced. Prints {events}.
 */
require('../../dist/libs/platform/src/register-aliases');
const { generateKeyPairSync } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { DataSource } = require('typeorm');
const { EventSigner, PostgresEventStore } = require('@app/event-store');
const { dataSourceOptions } = require('@app/platform');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const t = config.template;

const copy = (i) => {
  const code = `${config.codePrefix}${i}`;
  const swap = (s) => s.split(t.traceCode).join(code);
  return {
    streamId: swap(t.streamId),
    streamType: t.streamType,
    expectedVersion: 0,
    events: t.events.map((e) => ({
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: JSON.parse(swap(e.data)),
      metadata: JSON.parse(swap(e.metadata)),
      occurredAt: e.occurredAt,
    })),
  };
};

(async () => {
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl, { poolAcquireTimeoutMs: 0, statementTimeoutMs: 0 }));
  await dataSource.initialize();
  // Appends sign, as the api's do (the cost is part of an append); a throwaway key: the benches time, they do not verify.
  const signer = new EventSigner(generateKeyPairSync('ed25519').privateKey);
  const store = new PostgresEventStore(dataSource, undefined, undefined, signer);
  let next = config.from;
  let events = 0;
  await Promise.all(
    Array.from({ length: config.inFlight }, async () => {
      while (next < config.to) {
        const from = next;
        next = Math.min(config.to, next + config.streamsPerAppend);
        const appends = [];
        for (let i = from; i < next; i++) appends.push(copy(i));
        const outcome = await store.appendMany(appends);
        events += outcome.result.events.length;
      }
    }),
  );
  await dataSource.destroy();
  console.log(JSON.stringify({ events }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
