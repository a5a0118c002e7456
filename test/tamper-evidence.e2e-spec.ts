import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import { APPEND_LOCK, EventLogAudit, eventHash, GENESIS_HASH, PostgresEventStore } from '@app/event-store';
import { dataSourceOptions, runMigrationsLocked } from '@app/platform';
import { auditVerify, describeFailure } from '../apps/api/src/cli/audit-verify';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { registerLot, registerNetwork, scanOk, uid, walkToStore } from './support/fixtures';
import { waitFor } from './support/wait-for';

const HEX64 = /^[0-9a-f]{64}$/;
const CLI = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'cli', 'audit-verify.js');

interface EventRow {
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
  hash: string;
}

/** What only someone with the table owner's (or a superuser's) rights can do: the append-only trigger off, some SQL, the trigger back on. */
const asOwner = (t: TestApp, work: (m: EntityManager) => Promise<void>) =>
  t.dataSource.transaction(async (m) => {
    await m.query(`ALTER TABLE events DISABLE TRIGGER events_append_only`);
    await work(m);
    await m.query(`ALTER TABLE events ENABLE TRIGGER events_append_only`);
  });

const storedEvents = (t: TestApp, streamId: string): Promise<EventRow[]> =>
  t.dataSource.query(
    `SELECT stream_version, type, schema_version, data, metadata, occurred_at, encode(hash, 'hex') AS hash
       FROM events WHERE stream_id = $1 ORDER BY stream_version`,
    [streamId],
  );

const runCli = (databaseUrl: string): Promise<{ code: number; output: string }> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI],
      { env: { ...process.env, DATABASE_URL: databaseUrl, MIGRATIONS_DATABASE_URL: '', NO_COLOR: '1', LOG_LEVEL: 'log' }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });

describe('tamper-evident history (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('chains every event, catches a changed event, and a digest kept elsewhere catches a rewrite that re-hashed the whole chain', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const last = await walkToStore(t, n, traceCode);
    const other = await registerLot(t, n);
    const streamId = `lot-${traceCode}`;

    // History shows each event's hash; they chain from 32 zero bytes over the stored columns.
    const history = (await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last.position}`).expect(200)).body.events as {
      version: number;
      hash: string;
    }[];
    expect(history.length).toBeGreaterThan(10);
    const rows = await storedEvents(t, streamId);
    let previous = GENESIS_HASH;
    rows.forEach((r, i) => {
      const hash = eventHash(previous, {
        streamId,
        version: r.stream_version,
        type: r.type,
        schemaVersion: r.schema_version,
        data: r.data,
        metadata: r.metadata,
        occurredAt: r.occurred_at,
      });
      expect(r.hash).toBe(hash);
      expect(history[i]).toMatchObject({ version: r.stream_version, hash });
      previous = hash;
    });
    const [stream] = await t.dataSource.query(`SELECT version, encode(head_hash, 'hex') AS head FROM event_streams WHERE stream_id = $1`, [streamId]);
    expect(stream).toEqual({ version: rows.length, head: previous });
    const verified = await t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200);
    expect(verified.body).toEqual({ traceCode, valid: true, events: rows.length, headHash: previous });
    const unknown = await t.http().get(`/api/audit/lots/NO-SUCH-${uid()}/verify`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'LOT_NOT_FOUND']);

    // The regulator keeps a digest of the whole log, elsewhere.
    const kept = (await t.http().get('/api/audit/digest').expect(200)).body as { position: number; digest: string; streams: number; computedAt: string };
    expect(kept.digest).toMatch(HEX64);
    expect(kept.position).toBeGreaterThanOrEqual(last.position);
    expect(kept.streams).toBe(Number((await t.dataSource.query(`SELECT count(*) AS n FROM event_streams`))[0].n));
    expect(Number.isNaN(Date.parse(kept.computedAt))).toBe(false);
    const still = await t.http().post('/api/audit/digest/verify').send({ position: kept.position, digest: kept.digest }).expect(200);
    expect(still.body).toEqual({ consistent: true, position: kept.position, digest: kept.digest });

    // Someone with the owner's rights changes one event's data and leaves the hashes alone.
    const tampered = 3;
    await asOwner(t, async (m) => {
      await m.query(`UPDATE events SET data = data || '{"forged": true}'::jsonb WHERE stream_id = $1 AND stream_version = $2`, [streamId, tampered]);
    });
    const caught = await t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200);
    expect(caught.body).toEqual({ traceCode, valid: false, events: rows.length, headHash: previous, firstInvalidVersion: tampered });
    await t.http().get(`/api/audit/lots/${other.traceCode}/verify`).expect(200).expect((res) => expect(res.body.valid).toBe(true));

    // npm run audit:verify: every stream, this one named with its version; the function and the built CLI.
    const report = await auditVerify(t.databaseUrl);
    expect(report.invalid).toEqual([{ streamId, valid: false, events: rows.length, headHash: previous, firstInvalidVersion: tampered }]);
    expect(report.streams).toBe(kept.streams);
    const cli = await runCli(t.databaseUrl);
    expect(cli.code).toBe(1);
    expect(cli.output).toContain(describeFailure(report.invalid[0]));

    // A more careful rewrite: the changed event and every hash after it re-computed, the stream's head moved.
    await asOwner(t, async (m) => {
      const current: EventRow[] = await m.query(
        `SELECT stream_version, type, schema_version, data, metadata, occurred_at, encode(hash, 'hex') AS hash
           FROM events WHERE stream_id = $1 ORDER BY stream_version`,
        [streamId],
      );
      let prev = GENESIS_HASH;
      for (const r of current) {
        const hash = eventHash(prev, {
          streamId,
          version: r.stream_version,
          type: r.type,
          schemaVersion: r.schema_version,
          data: r.data,
          metadata: r.metadata,
          occurredAt: r.occurred_at,
        });
        if (hash !== r.hash) {
          await m.query(`UPDATE events SET hash = decode($3, 'hex') WHERE stream_id = $1 AND stream_version = $2`, [streamId, r.stream_version, hash]);
        }
        prev = hash;
      }
      await m.query(`UPDATE event_streams SET head_hash = decode($2, 'hex') WHERE stream_id = $1`, [streamId, prev]);
    });
    const rewritten = await t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200);
    expect(rewritten.body).toMatchObject({ traceCode, valid: true, events: rows.length });
    expect(rewritten.body.headHash).not.toBe(previous);
    expect((await auditVerify(t.databaseUrl)).invalid).toEqual([]);

    // ...but the digest kept before no longer verifies at its position.
    const broken = await t.http().post('/api/audit/digest/verify').send({ position: kept.position, digest: kept.digest }).expect(200);
    expect(broken.body.consistent).toBe(false);
    expect(broken.body.position).toBe(kept.position);
    expect(broken.body.digest).toMatch(HEX64);
    expect(broken.body.digest).not.toBe(kept.digest);
  });

  it('a digest still verifies at its position after more events are appended', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const kept = (await t.http().get('/api/audit/digest').expect(200)).body as { position: number; digest: string; streams: number };

    await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE' });
    await registerLot(t, n);
    const later = (await t.http().get('/api/audit/digest').expect(200)).body as { position: number; digest: string; streams: number };
    expect(later.position).toBeGreaterThan(kept.position);
    expect(later.streams).toBe(kept.streams + 1);
    expect(later.digest).not.toBe(kept.digest);

    for (const d of [kept, later]) {
      const res = await t.http().post('/api/audit/digest/verify').send({ position: d.position, digest: d.digest }).expect(200);
      expect(res.body).toEqual({ consistent: true, position: d.position, digest: d.digest });
    }
    // A position the log has not reached cannot have been digested from it.
    const ahead = await t.http().post('/api/audit/digest/verify').send({ position: later.position + 1000, digest: later.digest }).expect(200);
    expect(ahead.body).toEqual({ consistent: false, position: later.position + 1000, digest: null });
  });

  it('takes the digest position only once every append below it has committed', async () => {
    const audit = new EventLogAudit(t.dataSource);
    const slow = t.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      const open = await t.store.appendWithin(slow.manager, `test-slow-${uid()}`, [{ type: 'TestHappened', schemaVersion: 1, data: { n: 1 } }], {
        streamType: 'test',
        expectedVersion: 0,
      });
      if (open.kind !== 'appended') throw new Error('expected an append');
      // A later append commits a higher position first.
      const fast = await t.store.append(`test-fast-${uid()}`, [{ type: 'TestHappened', schemaVersion: 1, data: { n: 2 } }], {
        streamType: 'test',
        expectedVersion: 0,
      });
      if (fast.kind !== 'appended') throw new Error('expected an append');
      expect(open.result.position).toBeLessThan(fast.result.position);

      let settled = false;
      const position = audit.auditPosition().finally(() => (settled = true));
      // It waits on the append lock while the slow append is open...
      await waitFor('the audit to wait for the open append', async () => {
        // A one-bigint advisory key shows as classid (high half), objid (low half), objsubid 1.
        const rows = await t.dataSource.query(
          `SELECT 1 FROM pg_locks l JOIN pg_database d ON d.oid = l.database AND d.datname = current_database()
            WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = $1 AND l.objsubid = 1 AND l.mode = 'ExclusiveLock' AND NOT l.granted`,
          [APPEND_LOCK],
        );
        return rows.length > 0;
      });
      expect(settled).toBe(false);
      await slow.commitTransaction();
      // ...and then covers it: nothing at or below the position can still appear.
      expect(await position).toBeGreaterThanOrEqual(fast.result.position);
    } finally {
      if (slow.isTransactionActive) await slow.rollbackTransaction();
      await slow.release();
    }
  });

  it('answers only regulators, and checks what it is given', async () => {
    const n = await registerNetwork(t);
    const operator = await t.issueKey('OPERATOR', [n.port]);
    await t.as(operator.token).get('/api/audit/digest').expect(403);
    await t.as(t.tokens.inspector).post('/api/audit/digest/verify').send({ position: 1, digest: '0'.repeat(64) }).expect(403);
    await t.anonymous().get('/api/audit/lots/X/verify').expect(401);
    for (const body of [
      {},
      { position: 0, digest: '0'.repeat(64) },
      { position: 1.5, digest: '0'.repeat(64) },
      { position: '1', digest: '0'.repeat(64) },
      { position: Number.MAX_SAFE_INTEGER + 1, digest: '0'.repeat(64) },
      { position: 1, digest: 'F'.repeat(64) },
      { position: 1, digest: '0'.repeat(63) },
      { position: 1, digest: '0'.repeat(64), extra: true },
    ]) {
      const res = await t.http().post('/api/audit/digest/verify').send(body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });
});

const timestampOf = (m: unknown): number => Number((m as { name: string }).name.slice(-13));
const HASH_MIGRATION = 1764400006000;

describe('the hash-chain migration (e2e, real PostgreSQL)', () => {
  it('computes the chain of events written before it, and appends chain on from there', async () => {
    const db = await createTestDatabase();
    const options = dataSourceOptions(db.url);
    const migrations = options.migrations as (new () => MigrationInterface)[];
    const before = new DataSource({ ...options, migrations: migrations.filter((m) => timestampOf(m) < HASH_MIGRATION) });
    await before.initialize();
    const after = new DataSource(options);
    try {
      await before.runMigrations();
      // Written the way the store wrote them then: occurredAt to the microsecond (clock_timestamp()), numbers as sent.
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await before.query(`INSERT INTO event_streams (stream_id, stream_type, version) VALUES ('lot-OLD-1', 'lot', 3), ('facility-OLD', 'facility', 1)`);
      await before.query(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at) VALUES
          ($1, 'lot-OLD-1', 1, 'LotRegistered', 1, '{"traceCode":"OLD-1","quantity":{"unit":"KG","amount":1.50},"big":1e21}', '{"actor":"x-actor said so"}', '2026-01-01T00:00:00.123456Z'),
          ($2, 'facility-OLD', 1, 'FacilityRegistered', 1, '{"id":"OLD","name":"冷库 No. 1"}', '{}', '2026-01-01T00:00:01Z'),
          ($3, 'lot-OLD-1', 2, 'LotSampled', 1, '{"scanId":"S-1"}', '{"scanId":"S-1"}', '2026-01-01T00:00:02.5Z'),
          ($4, 'lot-OLD-1', 3, 'LotLocked', 1, '{"reason":"tested"}', '{}', clock_timestamp())`,
        ids,
      );
      await before.query(
        `INSERT INTO lot_history (trace_code, version, position, event_id, type, schema_version, occurred_at, recorded_at, data, metadata)
         SELECT 'OLD-1', stream_version, global_position, event_id, type, schema_version, occurred_at, recorded_at, data, metadata
           FROM events WHERE stream_id = 'lot-OLD-1'`,
      );
      await before.destroy();

      await after.initialize();
      expect(await runMigrationsLocked(after)).toContain('ChainEventHashes1764400006000');

      const audit = new EventLogAudit(after);
      expect(await audit.verifyAll()).toEqual({ streams: 2, events: 4, invalid: [] });
      // The first hash is exactly the documented encoding: occurredAt cut to milliseconds, numbers as JavaScript writes them.
      const [first] = await after.query(`SELECT encode(hash, 'hex') AS hash FROM events WHERE event_id = $1`, [ids[0]]);
      expect(first.hash).toBe(
        eventHash(GENESIS_HASH, {
          streamId: 'lot-OLD-1',
          version: 1,
          type: 'LotRegistered',
          schemaVersion: 1,
          data: { big: 1e21, quantity: { amount: 1.5, unit: 'KG' }, traceCode: 'OLD-1' },
          metadata: { actor: 'x-actor said so' },
          occurredAt: '2026-01-01T00:00:00.123Z',
        }),
      );
      const heads: { stream_id: string; ok: boolean }[] = await after.query(
        `SELECT s.stream_id, s.head_hash = e.hash AS ok FROM event_streams s JOIN events e ON e.stream_id = s.stream_id AND e.stream_version = s.version ORDER BY 1`,
      );
      expect(heads).toEqual([
        { stream_id: 'facility-OLD', ok: true },
        { stream_id: 'lot-OLD-1', ok: true },
      ]);
      const history = await after.query(`SELECT count(*)::int AS n FROM lot_history h JOIN events e USING (event_id) WHERE h.hash = e.hash`);
      expect(history).toEqual([{ n: 3 }]);
      // The trigger is back on.
      await expect(after.query(`UPDATE events SET data = '{}' WHERE event_id = $1`, [ids[1]])).rejects.toThrow(/append-only/);

      // The next append chains on from the migrated head.
      const store = new PostgresEventStore(after);
      const appended = await store.append('lot-OLD-1', [{ type: 'LotUnlocked', schemaVersion: 1, data: { reason: 'cleared' } }], {
        streamType: 'lot',
        expectedVersion: 3,
      });
      if (appended.kind !== 'appended') throw new Error('expected an append');
      expect(await audit.verifyStream('lot-OLD-1')).toEqual({ streamId: 'lot-OLD-1', valid: true, events: 4, headHash: appended.result.events[0].hash });
    } finally {
      if (before.isInitialized) await before.destroy();
      if (after.isInitialized) await after.destroy();
      await db.drop();
    }
  });
});
