'use strict';
/**
 * Baseline of the write rows: a bare node:http server on a `pg` Pool (as many
 * connections as the api's pool) writing into the same PostgreSQL as the api,
 * each into a table of its own:
 *
 *   POST /scans  one scan (the body the api gets):  BEGIN; INSERT one row; COMMIT
 *   POST /batch  {scans: [...]} as the api's batch route gets it: one multi-row INSERT
 *   POST /lots/:traceCode/temperatures  {deviceId, readings: [{at, celsius}]} as the api's
 *                temperatures route gets it: one multi-row INSERT, a row per reading, into a
 *                plain table (trace_code, device_id, at, celsius)
 *
 * A row is about the size of the api's event row: the scan as `data`, a
 * metadata object like the api's (actor, facility, scan id), a SHA-256 and
 * two timestamps, under a primary key and a unique scan id. No validation,
 * no domain, no read model: what this machine can write at most, one
 * transaction per request.
 */
const { createServer } = require('node:http');
const { createHash } = require('node:crypto');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX || 20) });
const ACTOR = { keyId: '00000000-0000-4000-8000-000000000000', name: 'baseline scanner', role: 'OPERATOR' };

const COLUMNS = `scan_id text NOT NULL UNIQUE, stream_id text NOT NULL, type text NOT NULL, data jsonb NOT NULL,
  metadata jsonb NOT NULL, occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), hash bytea NOT NULL`;

const row = (scan) => {
  const data = JSON.stringify(scan);
  return [
    String(scan.scanId),
    `lot-${scan.traceCode}`,
    String(scan.action),
    data,
    JSON.stringify({ actor: ACTOR, facilityId: scan.facilityId, scanId: scan.scanId }),
    scan.occurredAt,
    createHash('sha256').update(data).digest(),
  ];
};

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });

const answer = (res, status, body) => {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
};

const insertOne = async (scan) => {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const r = row(scan);
    const { rows } = await c.query(
      `INSERT INTO bench_baseline_scans (scan_id, stream_id, type, data, metadata, occurred_at, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING position`,
      r,
    );
    await c.query('COMMIT');
    return { scanId: scan.scanId, position: Number(rows[0].position) };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
};

const insertBatch = async (scans) => {
  const rows = scans.map(row);
  const col = (i) => rows.map((r) => r[i]);
  const res = await pool.query(
    `INSERT INTO bench_baseline_batch_scans (scan_id, stream_id, type, data, metadata, occurred_at, hash)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::bytea[])
     RETURNING position`,
    [col(0), col(1), col(2), col(3), col(4), col(5), col(6)],
  );
  return { results: scans.map((s, i) => ({ scanId: s.scanId, status: 'ACCEPTED', position: Number(res.rows[i].position) })) };
};

const TEMPERATURES = /^\/lots\/([^/]+)\/temperatures$/;

const insertTemperatures = async (traceCode, upload) => {
  const readings = upload.readings;
  const res = await pool.query(
    `INSERT INTO bench_baseline_temperatures (trace_code, device_id, at, celsius)
     SELECT $1, $2, * FROM unnest($3::timestamptz[], $4::real[])`,
    [traceCode, String(upload.deviceId), readings.map((r) => r.at), readings.map((r) => r.celsius)],
  );
  return { traceCode, recorded: res.rowCount };
};

const server = createServer(async (req, res) => {
  try {
    const body = JSON.parse(await readBody(req));
    if (req.method === 'POST' && req.url === '/scans') return answer(res, 201, await insertOne(body));
    if (req.method === 'POST' && req.url === '/batch') return answer(res, 200, await insertBatch(body.scans));
    const lot = req.method === 'POST' && TEMPERATURES.exec(req.url);
    if (lot) return answer(res, 201, await insertTemperatures(decodeURIComponent(lot[1]), body));
    answer(res, 404, { code: 'ROUTE_NOT_FOUND' });
  } catch (e) {
    answer(res, 500, { code: 'BASELINE_FAILED', message: String(e && e.message) });
  }
});
server.keepAliveTimeout = 65_000;

(async () => {
  for (const table of ['bench_baseline_scans', 'bench_baseline_batch_scans']) {
    await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (position bigserial PRIMARY KEY, ${COLUMNS})`);
  }
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_temperatures (trace_code text NOT NULL, device_id text NOT NULL, at timestamptz NOT NULL, celsius real NOT NULL)`);
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
