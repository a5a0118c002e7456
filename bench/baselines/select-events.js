'use strict';
/**
 * Baseline of `projections:rebuild`: one pass over the same events, in the
 * same order, with the same columns the rebuild's subscriptions read, paged
 * the same way (keyset pages of PAGE rows by (transaction_id,
 * global_position)), on one `pg` connection. Prints {events, pages}.
 *
 * ORDER BY names the table's columns (e.transaction_id, xid8), not the output
 * alias `transaction_id` (its text): so the pages come from the
 * events_subscription_order index, in numeric transaction order.
 */
const { Client } = require('pg');

const PAGE = Number(process.env.PAGE || 500);
const COLUMNS = `e.global_position, e.transaction_id::text AS transaction_id, e.event_id, e.stream_id, e.stream_version,
  e.type, e.schema_version, e.data, e.metadata, e.occurred_at, e.recorded_at, encode(e.hash, 'hex') AS hash`;

(async () => {
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  let tx = '0';
  let pos = 0;
  let events = 0;
  let pages = 0;
  for (;;) {
    const { rows } = await c.query(
      `SELECT ${COLUMNS} FROM events e
        WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
        ORDER BY e.transaction_id, e.global_position
        LIMIT $3`,
      [tx, pos, PAGE],
    );
    if (rows.length === 0) break;
    events += rows.length;
    pages++;
    const last = rows[rows.length - 1];
    tx = last.transaction_id;
    pos = Number(last.global_position);
  }
  await c.end();
  console.log(JSON.stringify({ events, pages }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
