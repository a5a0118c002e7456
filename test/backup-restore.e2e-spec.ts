import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BackupFileError, StoreNotEmptyError } from '@app/event-store';
import { dataSourceOptions, DEFAULT_DATABASE_TIMEOUTS, RUNTIME_ROLE, runMigrationsLocked } from '@app/platform';
import { auditVerify } from '../apps/api/src/cli/audit-verify';
import { exportEvents } from '../apps/api/src/cli/events-export';
import { importEvents } from '../apps/api/src/cli/events-import';
import { createTestApp, TestApp } from './support/test-app';
import { adminUrl, createTestDatabase } from './support/test-database';
import { withClient } from './support/database-roles';
import { waitFor } from './support/wait-for';
import { attachAllPapers, Network, registerLot, registerNetwork, scanBody, scanOk, uid, walkToStore } from './support/fixtures';

const run = promisify(execFile);

/** The store's own tables: compared column for column, but for the transaction id (see docs/operations.md, Backup and restore). */
const STORE_TABLES: Record<string, string> = {
  event_streams: `SELECT stream_id, stream_type, version, encode(head_hash, 'hex') AS head_hash, created_at, updated_at FROM event_streams ORDER BY stream_id`,
  events: `SELECT global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, recorded_at, encode(hash, 'hex') AS hash
             FROM events ORDER BY global_position`,
  idempotency_keys: `SELECT key, request_hash, stream_id, result, created_at FROM idempotency_keys ORDER BY key`,
  event_signatures: `SELECT global_position, signing_key_id, encode(signature, 'hex') AS signature FROM event_signatures ORDER BY global_position`,
  // Every column as the server prints it: times to the microsecond, readings as stored.
  temperature_uploads: `SELECT to_jsonb(t)::text AS row FROM temperature_uploads t ORDER BY upload_id`,
};

/**
 * Bookkeeping, not read models: migrations run, each subscription's
 * checkpoint (a transaction id; the positions are checked on their own), and
 * the counter api processes poll to notice key changes (bumped per write, so
 * a rebuild counts differently).
 */
const BOOKKEEPING = ['schema_migrations', 'subscription_checkpoints', 'api_key_changes', 'event_signing_legacy'];

/**
 * Columns that say when or in which batch a row was projected, not what the
 * events say: a rebuild writes them anew (the time, and api_keys' change
 * counter, a batch per replay).
 */
const PROJECTION_TIME = ['updated_at', 'projected_at', 'change_seq'];

const tablesOf = async (c: Client): Promise<string[]> =>
  (
    await c.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    )
  ).rows.map((r) => r.name);

/** Every read-model table (every table but the store's and the bookkeeping), each row as JSON without its projection time, in one order. */
const readModels = (url: string) =>
  withClient(url, async (c) => {
    const dump: Record<string, unknown[]> = {};
    for (const table of await tablesOf(c)) {
      if (table in STORE_TABLES || BOOKKEEPING.includes(table)) continue;
      const rows = await c.query<{ row: unknown }>(`SELECT to_jsonb(t) - $1::text[] AS row FROM ${table} t ORDER BY (to_jsonb(t) - $1::text[])::text COLLATE "C"`, [
        PROJECTION_TIME,
      ]);
      dump[table] = rows.rows.map((r) => r.row);
    }
    return dump;
  });

const storeRows = (url: string) =>
  withClient(url, async (c) => {
    const dump: Record<string, unknown[]> = {};
    for (const [table, sql] of Object.entries(STORE_TABLES)) dump[table] = (await c.query(sql)).rows;
    return dump;
  });

/** Everything in the database, bookkeeping and the position sequence included: what "changes nothing" compares. */
const wholeDatabase = (url: string) =>
  withClient(url, async (c) => {
    const dump: Record<string, unknown> = {};
    for (const table of await tablesOf(c)) {
      dump[table] = (await c.query(`SELECT to_jsonb(t)::text AS row FROM ${table} t ORDER BY to_jsonb(t)::text COLLATE "C"`)).rows.map((r) => r.row);
    }
    if (dump.events) {
      dump.sequence = (await c.query(`SELECT last_value, is_called FROM events_global_position_seq`)).rows;
    }
    return dump;
  });

/** A fresh database with the schema and nothing written: what `events:import` is for. */
const migratedDatabase = async () => {
  const db = await createTestDatabase();
  const ds = new DataSource(dataSourceOptions(db.url, DEFAULT_DATABASE_TIMEOUTS));
  await ds.initialize();
  try {
    await runMigrationsLocked(ds);
  } finally {
    await ds.destroy();
  }
  return db;
};

/**
 * The same response but for when its rows were projected (`updatedAt`, which a rebuild writes anew) and when it was judged or
 * computed (`evaluatedAt`, `computedAt`: the clock), and a digest's signature (it signs its `computedAt`; events' signatures stay).
 */
const CLOCK_FIELDS = ['updatedAt', 'evaluatedAt', 'computedAt'];
const withoutClockTimes = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutClockTimes);
  if (value && typeof value === 'object') {
    const signedClock = 'computedAt' in value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !CLOCK_FIELDS.includes(k) && !(signedClock && k === 'signature'))
        .map(([k, v]) => [k, withoutClockTimes(v)]),
    );
  }
  return value;
};

describe('events:export and events:import (e2e, real PostgreSQL)', () => {
  let source: TestApp;
  let dir: string;
  let file: string;
  let n: Network;
  /** Keys issued on the source, used on the restored database: credentials are events too. */
  let keys: { admin: string; regulator: string; operator: string };
  const lots = { walked: '', split: '', childA: '', childB: '', merged: '', locked: '' };
  let recallId: string;
  let sale: ReturnType<typeof scanBody>;
  let saleAnswer: unknown;
  const dropLater: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    source = await createTestApp();
    dir = await mkdtemp(join(tmpdir(), 'coldtrace-backup-'));
    file = join(dir, 'coldtrace.ndjson.gz');
    n = await registerNetwork(source);
    const http = source.http();
    // Credentials made on the source, and one revoked: the restored database must know all of it.
    keys = {
      admin: (await source.issueKey('ADMIN', undefined, 'backup admin')).token,
      regulator: (await source.issueKey('REGULATOR', undefined, 'backup regulator')).token,
      operator: (await source.issueKey('OPERATOR', [n.port, n.warehouse, n.market, n.store], 'backup operator')).token,
    };
    const revoked = await source.issueKey('INSPECTOR', undefined, 'revoked before the backup');
    await source.as(source.tokens.admin).delete(`/api/keys/${revoked.id}`).expect(200);

    // A journey: port -> central warehouse -> wholesale market -> store, papers, a sale (sent twice).
    lots.walked = (await registerLot(source, n)).traceCode;
    await walkToStore(source, n, lots.walked);
    sale = scanBody({ traceCode: lots.walked, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 2.5 });
    // By the operator key the restored service is asked again with (idempotency keys are a credential's own).
    saleAnswer = (await source.as(keys.operator).post('/api/scans').send(sale).expect(201)).body;
    expect((await source.as(keys.operator).post('/api/scans').send(sale).expect(201)).body).toEqual(saleAnswer);

    // Splits at the central warehouse, a merge of the two children, then a recall of the parent reaching all three.
    lots.split = (await registerLot(source, n, `LOT-${uid()}`, 200)).traceCode;
    await attachAllPapers(source, lots.split);
    await scanOk(source, { traceCode: lots.split, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-2' } });
    await scanOk(source, { traceCode: lots.split, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    await scanOk(source, { traceCode: lots.split, facilityId: n.warehouse, action: 'STORE', zoneId: n.zones.warehouseStorage });
    // Its temperature log from two loggers (readings part of the record, beside their events), inherited by the children below.
    const end = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const log = (count: number, celsius: (i: number) => number, offsetMinutes = 0) =>
      Array.from({ length: count }, (_, i) => ({ at: new Date(end - (count - 1 - i) * 5 * 60_000 - offsetMinutes * 60_000).toISOString(), celsius: celsius(i) }));
    await http.post(`/api/lots/${lots.split}/temperatures`).send({ deviceId: 'reefer-1', readings: log(300, (i) => [-18.3, -19.99, -21.07][i % 3]) }).expect(201);
    await http.post(`/api/lots/${lots.split}/temperatures`).send({ deviceId: 'truck-1', readings: log(40, (i) => (i >= 20 && i < 34 ? -15.5 : -20.01), 2) }).expect(201);
    lots.childA = `${lots.split}-A`;
    lots.childB = `${lots.split}-B`;
    await http
      .post(`/api/lots/${lots.split}/splits`)
      .send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: lots.childA, quantity: 50 }] })
      .expect(201);
    await http
      .post(`/api/lots/${lots.split}/splits`)
      .send({ splitId: `SPLIT-${uid()}`, children: [{ traceCode: lots.childB, quantity: 30.5 }] })
      .expect(201);
    lots.merged = `${lots.split}-M`;
    await http
      .post('/api/lots/merges')
      .send({
        mergeId: `MERGE-${uid()}`,
        traceCode: lots.merged,
        parents: [
          { traceCode: lots.childA, quantity: 10 },
          { traceCode: lots.childB, quantity: 5 },
        ],
        facilityId: n.warehouse,
      })
      .expect(201);

    // A lock by the regulator, and a recall.
    lots.locked = (await registerLot(source, n)).traceCode;
    await http.post(`/api/lots/${lots.locked}/lock`).send({ reason: 'suspected contamination' }).expect(200);
    recallId = `RECALL-${uid()}`;
    const recall = await http.post(`/api/lots/${lots.split}/recall`).send({ reason: 'supplier recall', recallId });
    expect([200, 201]).toContain(recall.status);

    await source.projections.catchUp();
  });

  afterAll(async () => {
    for (const drop of dropLater.reverse()) await drop();
    await source?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe('a backup restored into a fresh database', () => {
    let target: { url: string; drop: () => Promise<void> };
    let restored: TestApp;

    beforeAll(async () => {
      const exported = await exportEvents(source.databaseUrl, file);
      const [{ n: events }] = await source.dataSource.query(`SELECT count(*)::int AS n FROM events`);
      expect(exported.counts.events).toBe(events);

      target = await createTestDatabase();
      dropLater.push(() => target.drop());
      const imported = await importEvents(file, target.url);
      expect(imported).toMatchObject({ counts: exported.counts, headPosition: exported.headPosition, logDigest: exported.logDigest });
      expect(Object.values(imported.rebuilt)).toEqual(Object.values(imported.rebuilt).map(() => events));
    });

    afterAll(async () => {
      await restored?.close();
    });

    it('holds the same streams, events (ids, positions, versions, hashes, signatures, times) and idempotency keys', async () => {
      const [before, after] = [await storeRows(source.databaseUrl), await storeRows(target.url)];
      expect(after.events.length).toBeGreaterThan(40);
      // Every event came signed, so none counts as written before signing.
      expect(after.event_signatures.length).toBe(after.events.length);
      // Both uploads' readings, as the source holds them.
      expect(after.temperature_uploads).toHaveLength(2);
      expect(after).toEqual(before);
      // One transaction id for the whole load, the import's own: subscriptions read it in position order.
      const xids = await withClient(target.url, (c) => c.query(`SELECT count(DISTINCT transaction_id)::int AS n FROM events`));
      expect(xids.rows[0].n).toBe(1);
    });

    it('rebuilds every read model to the same rows, and every projection stands at the head', async () => {
      const [before, after] = [await readModels(source.databaseUrl), await readModels(target.url)];
      // The tables named, so a new read model is compared without anyone listing it here.
      expect(Object.keys(after)).toEqual(expect.arrayContaining(['lot_summary', 'lot_history', 'sale_eligibility', 'api_keys', 'lot_links', 'recall_lots', 'lot_documents']));
      expect(after.lot_history.length).toBeGreaterThan(40);
      expect(after.recall_lots.length).toBeGreaterThanOrEqual(4);
      for (const table of Object.keys(before)) expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
      expect(Object.keys(after)).toEqual(Object.keys(before));

      const head = await withClient(target.url, (c) => c.query(`SELECT max(global_position)::int AS head FROM events`));
      const checkpoints = await withClient(target.url, (c) => c.query(`SELECT subscription_id, global_position::int AS position FROM subscription_checkpoints ORDER BY 1`));
      expect(checkpoints.rows.length).toBeGreaterThanOrEqual(7);
      for (const row of checkpoints.rows) expect(row).toEqual({ subscription_id: row.subscription_id, position: head.rows[0].head });
    });

    it('verifies: every hash chain and signature holds, every credential is signed, and the log digest is the same', async () => {
      const ring = source.keys.ring;
      const [before, after] = [await auditVerify(source.databaseUrl, { ring }), await auditVerify(target.url, { ring })];
      expect(after).toMatchObject({ invalid: [], credentials: [] });
      expect(after).toEqual(before);
    });

    it('answers every lot, history, trace, eligibility and the recall as the source does, to the source keys', async () => {
      const untouched = await wholeDatabase(target.url);
      // No ADMIN_TOKEN: the restored ADMIN key counts, so the start issues none and writes nothing.
      restored = await createTestApp({ adminToken: null }, { databaseUrl: target.url } as TestApp);
      const codes: string[] = (await source.dataSource.query(`SELECT trace_code FROM lot_summary ORDER BY trace_code`)).map((r: { trace_code: string }) => r.trace_code);
      expect(codes).toEqual(expect.arrayContaining(Object.values(lots)));
      const was = source.as(keys.regulator);
      const is = restored.as(keys.regulator);
      const same = async (url: string) => {
        const [a, b] = [await was.get(url), await is.get(url)];
        expect({ url, status: b.status, body: withoutClockTimes(b.body) }).toEqual({ url, status: a.status, body: withoutClockTimes(a.body) });
        expect({ url, status: a.status }).toEqual({ url, status: 200 });
        return b.body;
      };
      for (const code of codes) {
        const history = await same(`/api/lots/${code}/history`);
        expect(JSON.stringify(history).length).toBeGreaterThan(100);
        await same(`/api/lots/${code}`);
        await same(`/api/lots/${code}/sale-eligibility`);
        await same(`/api/lots/${code}/trace?direction=backward`);
        await same(`/api/lots/${code}/trace?direction=forward`);
        await same(`/api/audit/lots/${code}/verify`);
        await same(`/api/lots/${code}/temperatures`);
      }
      const log = await same(`/api/lots/${lots.childA}/temperatures`);
      expect(log.readings).toBe(340);
      const recall = await same(`/api/recalls/${recallId}`);
      expect(recall.lots.map((l: { traceCode: string }) => l.traceCode).sort()).toEqual([lots.split, lots.childA, lots.childB, lots.merged].sort());
      await same('/api/lots?status=RECALLED');
      await same(`/api/facilities/${n.store}`);
      await same('/api/audit/digest');
      expect((await restored.as(keys.admin).get('/api/keys').expect(200)).body).toEqual((await source.as(keys.admin).get('/api/keys').expect(200)).body);
      // Reads and the start wrote nothing.
      expect(await wholeDatabase(target.url)).toEqual(untouched);
    });

    it('takes new commands after the restore: the scan is appended after the head, projected, and a retried sale answers as before', async () => {
      const op = restored.as(keys.operator);
      const [{ head }] = await restored.dataSource.query(`SELECT max(global_position)::int AS head FROM events`);
      // The same sale, sent again to the restored service: its idempotency key came along, nothing is recorded.
      expect((await op.post('/api/scans').send(sale).expect(201)).body).toEqual(saleAnswer);
      const next = await op
        .post('/api/scans')
        .send(scanBody({ traceCode: lots.walked, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 1 }))
        .expect(201);
      // After the imported head (the sequence was set there; a position may be skipped, as PostgreSQL sequences do), and the only new event.
      expect(next.body.position).toBeGreaterThan(head);
      const [{ added }] = await restored.dataSource.query(`SELECT count(*)::int AS added FROM events WHERE global_position > $1`, [head]);
      expect(added).toBe(1);
      const history = await restored.as(keys.regulator).get(`/api/lots/${lots.walked}/history?atLeast=${next.body.position}`).expect(200);
      expect(JSON.stringify(history.body)).toContain(`"position":${next.body.position}`);
      const lot = await restored.as(keys.regulator).get(`/api/lots/${lots.walked}?atLeast=${next.body.position}`).expect(200);
      expect(lot.body.quantity.remaining).toBe(100 - 2.5 - 1);
      // The projections' checkpoints moved past the imported transaction, to the new event.
      const checkpoints = await restored.dataSource.query(`SELECT subscription_id, global_position::int AS position FROM subscription_checkpoints ORDER BY 1`);
      // The reads above waited for lot-summary and lot-history only: the other two follow on their own workers.
      for (const projection of ['lot-summary', 'lot-history', 'sale-eligibility', 'recalls']) {
        await waitFor(`${projection} to process position ${next.body.position}`, () => restored.projections.subscription(projection).hasProcessed(next.body.position));
      }
      expect(checkpoints.length).toBeGreaterThanOrEqual(7);
      expect((await auditVerify(target.url, { ring: restored.keys.ring })).invalid).toEqual([]);
    });
  });

  describe('a version 1 backup (from before events were signed)', () => {
    it('restores the events unsigned, as written before signing; the next start signs them with the key, exactly as the source did', async () => {
      const text = gunzipSync(await readFile(file)).toString('utf8').replace(/\n$/, '');
      const lines = text.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const r of lines) {
        if (r.kind === 'header') r.version = 1;
        if (r.kind === 'event') {
          delete r.signingKeyId;
          delete r.signature;
        }
      }
      const body = lines.slice(0, -1).map((r) => `${JSON.stringify(r)}\n`).join('');
      const end = { ...lines[lines.length - 1], sha256: createHash('sha256').update(body, 'utf8').digest('hex') };
      const v1 = join(dir, 'v1.ndjson.gz');
      await writeFile(v1, gzipSync(`${body}${JSON.stringify(end)}\n`));

      const target = await createTestDatabase();
      dropLater.push(() => target.drop());
      const imported = await importEvents(v1, target.url);
      const restoredRows = await storeRows(target.url);
      expect(restoredRows.event_signatures).toEqual([]);
      const [legacy] = await withClient(target.url, async (c) => (await c.query(`SELECT up_to_position::int AS "upTo", events::int AS events FROM event_signing_legacy`)).rows);
      expect(legacy).toEqual({ upTo: imported.headPosition, events: imported.counts.events });
      // Unsigned, they verify as nothing yet.
      expect((await auditVerify(target.url, { ring: source.keys.ring })).invalid.map((v) => v.reason)).toEqual(expect.arrayContaining(['UNSIGNED']));

      // A start with the key signs them; Ed25519 is deterministic, so the rows are the source's own.
      // No ADMIN_TOKEN: the test app would issue its keys (events) with one; the restored ADMIN key counts, so nothing is written but signatures.
      const started = await createTestApp({ adminToken: null }, { databaseUrl: target.url } as TestApp);
      try {
        expect(await storeRows(target.url)).toEqual(await storeRows(source.databaseUrl));
        expect(await auditVerify(target.url, { ring: source.keys.ring })).toMatchObject({ invalid: [], credentials: [] });
        await started.as(keys.regulator).get(`/api/audit/lots/${lots.walked}/verify`).expect(200).expect((res) => expect(res.body.valid).toBe(true));
      } finally {
        await started.close();
      }
    });
  });

  describe('with a runtime role (DATABASE_URL) and the schema owner (MIGRATIONS_DATABASE_URL)', () => {
    // Roles are cluster-wide: the group is shared (created if missing), the logins are this file's own.
    const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const owner = { name: `coldtrace_owner_${suffix}`, password: randomBytes(12).toString('hex') };
    const runtime = { name: `coldtrace_rt_${suffix}`, password: randomBytes(12).toString('hex') };
    const urlAs = (databaseUrl: string, who: { name: string; password: string }): string => {
      const u = new URL(databaseUrl);
      u.username = who.name;
      u.password = who.password;
      return u.toString();
    };
    /** A new database the owner owns (PostgreSQL 15+: and so its public schema), nothing in it. */
    const ownedDatabase = async () => {
      const db = await createTestDatabase();
      dropLater.push(() => db.drop());
      await withClient(adminUrl(), (c) => c.query(`ALTER DATABASE ${new URL(db.url).pathname.slice(1)} OWNER TO ${owner.name}`));
      return { ownerUrl: urlAs(db.url, owner), runtimeUrl: urlAs(db.url, runtime), url: db.url };
    };

    beforeAll(async () => {
      await withClient(adminUrl(), async (c) => {
        await c.query(`DO $$ BEGIN CREATE ROLE ${RUNTIME_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
        await c.query(`CREATE ROLE ${owner.name} LOGIN PASSWORD '${owner.password}'`);
        await c.query(`CREATE ROLE ${runtime.name} LOGIN PASSWORD '${runtime.password}' IN ROLE ${RUNTIME_ROLE}`);
      });
      // Registered first, run last (after the databases they own are dropped).
      dropLater.unshift(() =>
        withClient(adminUrl(), async (c) => {
          await c.query(`DROP ROLE IF EXISTS ${runtime.name}`);
          await c.query(`DROP ROLE IF EXISTS ${owner.name}`);
        }),
      );
      if (!(await readFile(file).catch(() => null))) await exportEvents(source.databaseUrl, file);
    });

    it('loads as the owner and rebuilds as the runtime role; the runtime role still may not rewrite events', async () => {
      const db = await ownedDatabase();
      const report = await importEvents(file, db.runtimeUrl, db.ownerUrl);
      expect(await storeRows(db.url)).toEqual(await storeRows(source.databaseUrl));
      expect(await readModels(db.url)).toEqual(await readModels(source.databaseUrl));
      expect(report.counts.events).toBeGreaterThan(40);
      const [tables] = (await withClient(db.url, (c) => c.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'events'`))).rows;
      expect(tables.tableowner).toBe(owner.name);
      await withClient(db.runtimeUrl, async (c) => {
        await expect(c.query(`UPDATE events SET data = '{}' WHERE global_position = 1`)).rejects.toThrow(/permission denied/);
        await expect(c.query(`SELECT setval('events_global_position_seq', 1)`)).rejects.toThrow(/permission denied/);
      });
    });

    it('as the runtime role alone: fails before loading anything', async () => {
      const db = await ownedDatabase();
      // Migrated by the owner (as the services' first start would), then imported without the owner.
      const ds = new DataSource(dataSourceOptions(db.ownerUrl, DEFAULT_DATABASE_TIMEOUTS));
      await ds.initialize();
      await runMigrationsLocked(ds).finally(() => ds.destroy());
      const before = await wholeDatabase(db.url);
      await expect(importEvents(file, db.runtimeUrl)).rejects.toThrow(/permission denied|may not set the events' position sequence/);
      expect(await wholeDatabase(db.url)).toEqual(before);
    });
  });

  describe('refusals change nothing', () => {
    let tampered: string;
    let truncated: string;
    let readingEdited: string;

    beforeAll(async () => {
      // Written by the first describe; made here when this one runs alone.
      if (!(await readFile(file).catch(() => null))) await exportEvents(source.databaseUrl, file);
      const text = gunzipSync(await readFile(file)).toString('utf8');
      const lines = text.split('\n');
      // One event of the walked lot edited (a field added to its data), the line otherwise well formed.
      const at = lines.findIndex((l) => l.includes('"kind":"event"') && l.includes(`"streamId":"lot-${lots.walked}"`));
      expect(at).toBeGreaterThan(0);
      const edited = JSON.parse(lines[at]);
      edited.data = { ...edited.data, note: 'edited' };
      lines[at] = JSON.stringify(edited);
      tampered = join(dir, 'tampered.ndjson.gz');
      await writeFile(tampered, gzipSync(lines.join('\n')));
      // One reading of an upload edited and the end line resealed, as someone covering their tracks would.
      const upload = lines.findIndex((l) => l.includes('"kind":"temperatureUpload"'));
      expect(upload).toBeGreaterThan(at);
      const reading = JSON.parse(lines[upload]);
      reading.celsius[7] = -30;
      const edited2 = [...lines];
      edited2[upload] = JSON.stringify(reading);
      const body = edited2.filter((l) => l !== '').slice(0, -1).map((l) => `${l}\n`).join('');
      const end = { ...JSON.parse(edited2.filter((l) => l !== '').slice(-1)[0]), sha256: createHash('sha256').update(body, 'utf8').digest('hex') };
      readingEdited = join(dir, 'reading-edited.ndjson.gz');
      await writeFile(readingEdited, gzipSync(`${body}${JSON.stringify(end)}\n`));
      const whole = await readFile(file);
      truncated = join(dir, 'truncated.ndjson.gz');
      await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    });

    it('into a database that already has events: StoreNotEmptyError, the database as it was', async () => {
      const before = await wholeDatabase(source.databaseUrl);
      await expect(importEvents(file, source.databaseUrl)).rejects.toThrow(StoreNotEmptyError);
      await expect(importEvents(file, source.databaseUrl)).rejects.toThrow(/the event store is not empty \(it has events, streams, idempotency keys, temperature uploads\)/);
      expect(await wholeDatabase(source.databaseUrl)).toEqual(before);
    });

    it.each([
      ['a truncated file', () => truncated, /is not a whole gzip file: unexpected end of file/],
      ['an edited line', () => tampered, /the lines do not hash to the end line's SHA-256 .*: the file was altered/],
      ['a reading edited, the file resealed', () => readingEdited, /upload [0-9a-f-]{36} of lot .* is not what its event records \(READINGS_MISMATCH/],
    ])('from %s: BackupFileError, the empty database as it was', async (_, path, message) => {
      const target = await migratedDatabase();
      dropLater.push(() => target.drop());
      const before = await wholeDatabase(target.url);
      await expect(importEvents(path(), target.url)).rejects.toThrow(BackupFileError);
      await expect(importEvents(path(), target.url)).rejects.toThrow(message);
      expect(await wholeDatabase(target.url)).toEqual(before);
    });

    it('of a file that is not a backup: refused before the database is touched, not even migrated', async () => {
      const target = await createTestDatabase();
      dropLater.push(() => target.drop());
      const notGzip = join(dir, 'notes.txt');
      await writeFile(notGzip, 'hello\n');
      const otherJson = join(dir, 'other.ndjson.gz');
      await writeFile(otherJson, gzipSync('{"kind":"event"}\n'));
      await expect(importEvents(notGzip, target.url)).rejects.toThrow(/is not a gzip file \(a backup is gzip'd NDJSON\): incorrect header check/);
      await expect(importEvents(otherJson, target.url)).rejects.toThrow('not a coldtrace-event-log backup: line 1: event has a missing or invalid globalPosition');
      await expect(importEvents(join(dir, 'missing.ndjson.gz'), target.url)).rejects.toThrow(/does not exist/);
      expect(await wholeDatabase(target.url)).toEqual({});
    });

    it('the built CLIs: a refusal is one line and exit code 1; export never overwrites a file', async () => {
      const cli = (name: string, args: string[], databaseUrl: string) =>
        run('node', [join(__dirname, '..', `dist/apps/api/src/cli/${name}.js`), ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, NO_COLOR: '1' } }).then(
          () => ({ code: 0, stderr: '' }),
          (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
        );
      const target = await migratedDatabase();
      dropLater.push(() => target.drop());
      const before = await wholeDatabase(target.url);
      const refused = await cli('events-import', [tampered], target.url);
      expect(refused.code).toBe(1);
      const errors = refused.stderr.split('\n').filter((l) => l.includes('import refused'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/import refused, nothing changed: the lines do not hash to the end line's SHA-256/);
      expect(await wholeDatabase(target.url)).toEqual(before);

      const overwrite = await cli('events-export', ['--out', file], source.databaseUrl);
      expect(overwrite.code).toBe(1);
      expect(overwrite.stderr).toContain('exists: choose another file name');
    });
  });
});
