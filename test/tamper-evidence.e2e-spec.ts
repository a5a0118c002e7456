import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource, MigrationInterface } from 'typeorm';
import {
  APPEND_LOCK,
  chainHashes,
  digestSigningMessage,
  EventKeyRing,
  EventLogAudit,
  eventHash,
  GENESIS_HASH,
  keyRingFromText,
  PostgresEventStore,
  rawPublicKey,
  signLegacyEvents,
  signingKeysFromPem,
} from '@app/event-store';
import { dataSourceOptions, newSigningKeyPem, runMigrationsLocked } from '@app/platform';
import { newToken, tokenDigest } from '../apps/api/src/access/access-token';
import { auditVerify, AuditVerifyReport, describeCredential, describeDigest, describeFailure } from '../apps/api/src/cli/audit-verify';
import { runSigningKeyCli } from '../apps/api/src/cli/signing-key';
import { createTestApp, TestApp } from './support/test-app';
import { createTestDatabase } from './support/test-database';
import { createRoleDatabase, RoleDatabase, withClient } from './support/database-roles';
import { throwawayKeys } from './support/signing';
import { appendToStream } from './support/stream-append';
import { registerLot, registerNetwork, scanOk, uid, walkToStore } from './support/fixtures';
import { waitFor } from './support/wait-for';

const HEX64 = /^[0-9a-f]{64}$/;
const CLI = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'cli', 'audit-verify.js');
const run = promisify(execFile);

interface EventRow {
  global_position: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: unknown;
  occurred_at: Date;
  hash: string;
}

const storedEvents = (c: Pick<Client, 'query'> | DataSource, streamId: string): Promise<EventRow[]> =>
  (c as DataSource)
    .query(
      `SELECT global_position, stream_version, type, schema_version, data, metadata, occurred_at, encode(hash, 'hex') AS hash
         FROM events WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    )
    .then((r: EventRow[] | { rows: EventRow[] }) => (Array.isArray(r) ? r : r.rows));

const hashOf = (streamId: string, previous: string, r: EventRow) =>
  eventHash(previous, { streamId, version: r.stream_version, type: r.type, schemaVersion: r.schema_version, data: r.data, metadata: r.metadata, occurredAt: r.occurred_at });

/** A third party's check, with no code of ours: OpenSSL's Ed25519 over the raw message, the public key as published. */
const opensslVerifies = async (publicKeyPem: string, message: Buffer, signatureHex: string): Promise<boolean> => {
  const dir = await mkdtemp(join(tmpdir(), 'coldtrace-openssl-'));
  try {
    await writeFile(join(dir, 'key.pem'), publicKeyPem);
    await writeFile(join(dir, 'message.bin'), message);
    await writeFile(join(dir, 'signature.bin'), Buffer.from(signatureHex, 'hex'));
    const ok = await run('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-in', 'message.bin', '-sigfile', 'signature.bin'], { cwd: dir }).then(
      ({ stdout }) => stdout.includes('Signature Verified Successfully'),
      () => false,
    );
    return ok;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

describe('tamper-evident history (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('chains and signs every event; history carries hash, signature and key id; a third party checks them with OpenSSL and GET /api/audit/keys alone', async () => {
    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    const last = await walkToStore(t, n, traceCode);
    const streamId = `lot-${traceCode}`;

    // The public keys, to anyone: no token.
    const published = (await t.anonymous().get('/api/audit/keys').expect(200)).body as {
      currentKeyId: string;
      keys: { signingKeyId: string; algorithm: string; current: boolean; publicKey: string; publicKeyPem: string }[];
    };
    expect(published.currentKeyId).toBe(t.keys.signer.signingKeyId);
    expect(published.keys).toEqual([
      {
        signingKeyId: t.keys.signer.signingKeyId,
        algorithm: 'Ed25519',
        current: true,
        publicKey: rawPublicKey(t.keys.signer.publicKey).toString('hex'),
        publicKeyPem: expect.stringContaining('-----BEGIN PUBLIC KEY-----'),
      },
    ]);
    // The key id is recomputable from the key itself.
    expect(createHash('sha256').update(Buffer.from(published.keys[0].publicKey, 'hex')).digest('hex').slice(0, 16)).toBe(published.currentKeyId);

    // History shows each event's hash and signature; the hashes chain from 32 zero bytes over the stored columns.
    const history = (await t.http().get(`/api/lots/${traceCode}/history?atLeast=${last.position}`).expect(200)).body.events as {
      version: number;
      hash: string;
      signingKeyId: string;
      signature: string;
    }[];
    expect(history.length).toBeGreaterThan(10);
    const rows = await storedEvents(t.dataSource, streamId);
    let previous = GENESIS_HASH;
    rows.forEach((r, i) => {
      const hash = hashOf(streamId, previous, r);
      expect(r.hash).toBe(hash);
      expect(history[i]).toMatchObject({ version: r.stream_version, hash, signingKeyId: published.currentKeyId, signature: expect.stringMatching(/^[0-9a-f]{128}$/) });
      previous = hash;
    });
    for (const e of [history[0], history[history.length - 1]]) {
      expect(await opensslVerifies(published.keys[0].publicKeyPem, Buffer.from(e.hash, 'hex'), e.signature)).toBe(true);
    }
    // A signature over another hash does not verify.
    expect(await opensslVerifies(published.keys[0].publicKeyPem, Buffer.from(history[1].hash, 'hex'), history[0].signature)).toBe(false);

    const verified = await t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200);
    expect(verified.body).toEqual({ traceCode, valid: true, events: rows.length, headHash: previous });
    const unknown = await t.http().get(`/api/audit/lots/NO-SUCH-${uid()}/verify`);
    expect([unknown.status, unknown.body.code]).toEqual([404, 'LOT_NOT_FOUND']);

    // The digest comes signed: position, digest and time bound in one message.
    const kept = (await t.http().get('/api/audit/digest').expect(200)).body as { position: number; digest: string; streams: number; computedAt: string; signingKeyId: string; signature: string };
    expect(kept).toEqual({
      position: expect.any(Number),
      digest: expect.stringMatching(HEX64),
      streams: Number((await t.dataSource.query(`SELECT count(*) AS n FROM event_streams`))[0].n),
      computedAt: expect.any(String),
      signingKeyId: published.currentKeyId,
      signature: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
    expect(kept.position).toBeGreaterThanOrEqual(last.position);
    const message = Buffer.from(digestSigningMessage(kept.position, kept.digest, kept.computedAt), 'utf8');
    expect(message.toString()).toBe(`coldtrace-log-digest:v1:${kept.position}:${kept.digest}:${kept.computedAt}`);
    expect(await opensslVerifies(published.keys[0].publicKeyPem, message, kept.signature)).toBe(true);

    const still = await t.http().post('/api/audit/digest/verify').send({ position: kept.position, digest: kept.digest }).expect(200);
    expect(still.body).toEqual({
      position: kept.position,
      consistent: true,
      digest: kept.digest,
      valid: true,
      streams: kept.streams,
      events: Number((await t.dataSource.query(`SELECT count(*) AS n FROM events WHERE global_position <= $1`, [kept.position]))[0].n),
      invalid: [],
      invalidStreams: 0,
    });
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
      expect(res.body).toMatchObject({ consistent: true, position: d.position, digest: d.digest, valid: true, streams: d.streams, invalid: [] });
    }
    // A position the log has not reached cannot have been digested from it (the chains are still checked up to the head).
    const ahead = await t.http().post('/api/audit/digest/verify').send({ position: later.position + 1000, digest: later.digest }).expect(200);
    expect(ahead.body).toMatchObject({ consistent: false, position: later.position + 1000, digest: null, valid: true, invalid: [] });
  });

  it('takes the digest position only once every append below it has committed', async () => {
    const audit = new EventLogAudit(t.dataSource, t.keys.ring);
    const slow = t.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    try {
      const open = await appendToStream(slow.manager, t.store, `test-slow-${uid()}`, [{ type: 'TestHappened', schemaVersion: 1, data: { n: 1 } }], {
        streamType: 'test',
        expectedVersion: 0,
      });
      if (open.kind !== 'appended') throw new Error('expected an append');
      // A later append commits a higher position first.
      const fast = await appendToStream(t.dataSource, t.store, `test-fast-${uid()}`, [{ type: 'TestHappened', schemaVersion: 1, data: { n: 2 } }], {
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

  it('answers only regulators (the keys to anyone), and checks what it is given', async () => {
    const n = await registerNetwork(t);
    const operator = await t.issueKey('OPERATOR', [n.port]);
    await t.as(operator.token).get('/api/audit/digest').expect(403);
    await t.as(t.tokens.inspector).post('/api/audit/digest/verify').send({ position: 1, digest: '0'.repeat(64) }).expect(403);
    await t.anonymous().get('/api/audit/lots/X/verify').expect(401);
    await t.as(operator.token).get('/api/audit/keys').expect(200);
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

/**
 * The outside probe's findings, replayed on the documented production set-up
 * (schema owner for migrations, the services as a runtime login): each way of
 * tampering, with a digest kept just before it, against each check a regulator
 * can run without the owner (lot verify and digest verify over HTTP,
 * `npm run audit:verify` as the runtime login with the public keys kept from
 * GET /api/audit/keys). The table is docs/security.md's (Tamper evidence).
 */
describe('the tampering table (e2e, owner and runtime logins)', () => {
  let db: RoleDatabase;
  let t: TestApp;
  let dir: string;
  let keysFile: string;
  /** The public keys as the regulator kept them, from GET /api/audit/keys: never from the database. */
  let pinned: EventKeyRing;

  beforeAll(async () => {
    db = await createRoleDatabase();
    t = await createTestApp({ migrationsDatabaseUrl: db.ownerUrl }, { databaseUrl: db.runtimeUrl } as TestApp);
    dir = await mkdtemp(join(tmpdir(), 'coldtrace-tamper-'));
    const keys = (await t.anonymous().get('/api/audit/keys').expect(200)).body;
    keysFile = join(dir, 'coldtrace-keys.json');
    await writeFile(keysFile, JSON.stringify(keys));
    pinned = keyRingFromText(JSON.stringify(keys));
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** What only the table's owner (or a superuser) can do: the append-only triggers off, some SQL, the triggers back on. */
  const asOwner = (work: (c: Client) => Promise<void>) =>
    withClient(db.ownerUrl, async (c) => {
      await c.query('BEGIN');
      await c.query(`ALTER TABLE events DISABLE TRIGGER events_append_only`);
      await c.query(`ALTER TABLE event_signatures DISABLE TRIGGER event_signatures_append_only`);
      await work(c);
      await c.query(`ALTER TABLE events ENABLE TRIGGER events_append_only`);
      await c.query(`ALTER TABLE event_signatures ENABLE TRIGGER event_signatures_append_only`);
      await c.query('COMMIT');
    });
  /** What anyone holding the services' database credentials can do. */
  const asRuntime = <T>(work: (c: Client) => Promise<T>) => withClient(db.runtimeUrl, work);

  const keepDigest = async () => {
    const { position, digest } = (await t.http().get('/api/audit/digest').expect(200)).body as { position: number; digest: string };
    return { position, digest };
  };

  interface Case {
    readonly name: string;
    /** The stream or key it touches: what a check must name to have caught it. */
    readonly streamId?: string;
    readonly keyIds?: string[];
    readonly traceCode?: string;
    readonly tamper: () => Promise<void>;
  }

  /** Each check, run as a regulator would, summed up as a table cell. */
  const check = async (c: Case, kept: { position: number; digest: string }) => {
    let lot = '-';
    if (c.traceCode) {
      const res = (await t.http().get(`/api/audit/lots/${c.traceCode}/verify`).expect(200)).body;
      lot = res.valid ? 'valid' : `invalid (${res.reason})`;
    }
    const digest = (await t.http().post('/api/audit/digest/verify').send(kept).expect(200)).body as {
      consistent: boolean;
      invalid: { streamId: string; reason: string }[];
    };
    const digestNames = digest.invalid.find((v) => v.streamId === c.streamId);
    const report: AuditVerifyReport = await auditVerify(db.runtimeUrl, { ring: pinned, digests: [kept] });
    const named = [
      ...report.invalid.filter((v) => v.streamId === c.streamId).map((v) => `names ${v.streamId === c.streamId ? 'the stream' : v.streamId} (${v.reason})`),
      ...report.credentials.filter((j) => c.keyIds?.includes(j.keyId)).map(() => 'names the row'),
      ...report.digests.filter((d) => !d.matches).map(() => 'names the kept digest'),
    ];
    return {
      tampering: c.name,
      lotVerify: lot,
      digestVerify: `${digest.consistent ? 'consistent' : 'inconsistent'}${digestNames ? ` (names the stream: ${digestNames.reason})` : ''}`,
      auditVerify: named.length ? [...new Set(named)].join(', ') : 'silent',
    };
  };

  it('every case is caught by at least one check a regulator runs without the database owner', async () => {
    const n = await registerNetwork(t);
    const lot = async () => {
      const { traceCode } = await registerLot(t, n);
      await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE' });
      await scanOk(t, { traceCode, facilityId: n.port, action: 'SAMPLE' });
      return { traceCode, streamId: `lot-${traceCode}` };
    };
    const [a, b, c, d] = [await lot(), await lot(), await lot(), await lot()];
    const operator = await t.issueKey('OPERATOR', [n.warehouse], 'warehouse scanner');
    const forgedKey = { id: `forged-${uid()}`, token: newToken() };
    const forger = signingKeysFromPem(newSigningKeyPem()).signer;

    // Before anything: every check passes.
    expect(await auditVerify(db.runtimeUrl, { ring: pinned })).toMatchObject({ invalid: [], credentials: [] });

    const cases: Case[] = [
      {
        name: "data changed, stream's hashes recomputed",
        ...b,
        tamper: () =>
          asOwner(async (q) => {
            await q.query(`UPDATE events SET data = data || '{"temperatureC": 4}'::jsonb WHERE stream_id = $1 AND stream_version = 2`, [b.streamId]);
            let previous = GENESIS_HASH;
            for (const r of await storedEvents(q, b.streamId)) {
              previous = hashOf(b.streamId, previous, r);
              await q.query(`UPDATE events SET hash = decode($2, 'hex') WHERE global_position = $1`, [r.global_position, previous]);
            }
            await q.query(`UPDATE event_streams SET head_hash = decode($2, 'hex') WHERE stream_id = $1`, [b.streamId, previous]);
          }),
      },
      {
        name: 'last event deleted, stream row fixed',
        ...c,
        tamper: () =>
          asOwner(async (q) => {
            const rows = await storedEvents(q, c.streamId);
            const lastRow = rows[rows.length - 1];
            await q.query(`DELETE FROM event_signatures WHERE global_position = $1`, [lastRow.global_position]);
            await q.query(`DELETE FROM events WHERE global_position = $1`, [lastRow.global_position]);
            await q.query(`UPDATE event_streams SET version = $2, head_hash = decode($3, 'hex') WHERE stream_id = $1`, [c.streamId, rows.length - 1, rows[rows.length - 2].hash]);
          }),
      },
      {
        name: 'forged event appended with a correct chain (runtime login)',
        ...d,
        tamper: () =>
          asRuntime(async (q) => {
            // The lot's last event again, as a new scan, chained onto the head, "signed" under our key id with the forger's own key.
            const rows = await storedEvents(q, d.streamId);
            const lastRow = rows[rows.length - 1];
            const next: EventRow = { ...lastRow, stream_version: rows.length + 1, data: { ...lastRow.data, scanId: `FORGED-${uid()}` } };
            const hash = hashOf(d.streamId, lastRow.hash, next);
            const inserted = await q.query(
              `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, decode($9, 'hex')) RETURNING global_position`,
              [randomUUID(), d.streamId, next.stream_version, next.type, next.schema_version, next.data, next.metadata, next.occurred_at, hash],
            );
            await q.query(`INSERT INTO event_signatures (global_position, signing_key_id, signature) VALUES ($1, $2, decode($3, 'hex'))`, [
              inserted.rows[0].global_position,
              t.keys.signer.signingKeyId,
              forger.signHash(hash).signature,
            ]);
            await q.query(`UPDATE event_streams SET version = $2, head_hash = decode($3, 'hex') WHERE stream_id = $1`, [d.streamId, next.stream_version, hash]);
          }),
      },
      {
        name: 'api_keys row inserted, and a role changed (runtime login)',
        keyIds: [forgedKey.id, operator.id],
        tamper: async () => {
          await asRuntime(async (q) => {
            const [{ seq }] = (await q.query(`UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq`)).rows;
            await q.query(
              `INSERT INTO api_keys (key_id, name, role, facility_ids, token_sha256, issued_at, change_seq, position) VALUES ($1, 'probe', 'ADMIN', '{}', $2, now(), $3, 1)`,
              [forgedKey.id, tokenDigest(forgedKey.token), seq],
            );
            const [{ seq: next }] = (await q.query(`UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq`)).rows;
            await q.query(`UPDATE api_keys SET role = 'REGULATOR', facility_ids = '{}', change_seq = $2 WHERE key_id = $1`, [operator.id, next]);
          });
          // Neither authenticates: 401, never an ADMIN or a REGULATOR.
          await t.as(forgedKey.token).get('/api/keys').expect(401);
          await waitFor('the changed operator row to be refused', async () => (await t.as(operator.token).get('/api/lots')).status === 401, 5_000, 20);
        },
      },
      // Last: a changed event whose hash was left alone makes every digest recomputed from data differ, those kept after it too.
      {
        name: 'data changed, hashes untouched',
        ...a,
        tamper: () =>
          asOwner(async (q) => {
            await q.query(`UPDATE events SET data = data || '{"forged": true}'::jsonb WHERE stream_id = $1 AND stream_version = 2`, [a.streamId]);
          }),
      },
    ];

    const table = [];
    const kept: { position: number; digest: string }[] = [];
    for (const c of cases) {
      const digest = await keepDigest();
      kept.push(digest);
      await c.tamper();
      table.push(await check(c, digest));
    }
    expect(table).toEqual([
      {
        tampering: "data changed, stream's hashes recomputed",
        lotVerify: 'invalid (BAD_SIGNATURE)',
        digestVerify: 'inconsistent (names the stream: BAD_SIGNATURE)',
        auditVerify: 'names the stream (BAD_SIGNATURE), names the kept digest',
      },
      { tampering: 'last event deleted, stream row fixed', lotVerify: 'valid', digestVerify: 'inconsistent', auditVerify: 'names the kept digest' },
      {
        tampering: 'forged event appended with a correct chain (runtime login)',
        lotVerify: 'invalid (BAD_SIGNATURE)',
        digestVerify: 'consistent',
        auditVerify: 'names the stream (BAD_SIGNATURE)',
      },
      { tampering: 'api_keys row inserted, and a role changed (runtime login)', lotVerify: '-', digestVerify: 'consistent', auditVerify: 'names the row' },
      {
        tampering: 'data changed, hashes untouched',
        lotVerify: 'invalid (HASH_MISMATCH)',
        digestVerify: 'inconsistent (names the stream: HASH_MISMATCH)',
        auditVerify: 'names the stream (HASH_MISMATCH), names the kept digest',
      },
    ]);

    // The built CLI, as the runtime login, with the keys kept and the digests: one on the command line, the rest in a file.
    const digestsFile = join(dir, 'kept-digests.txt');
    await writeFile(digestsFile, `# kept by the regulator\n${kept.slice(1).map((k) => JSON.stringify(k)).join('\n')}\n`);
    const cli = await run(process.execPath, [CLI, '--keys', keysFile, '--digest', `${kept[0].position}:${kept[0].digest}`, '--digest', digestsFile], {
      env: { ...process.env, DATABASE_URL: db.runtimeUrl, MIGRATIONS_DATABASE_URL: '', EVENT_SIGNING_KEY_FILE: '', NO_COLOR: '1', LOG_LEVEL: 'log' },
      timeout: 120_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: `${stdout}\n${stderr}` }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, output: `${e.stdout}\n${e.stderr}` }),
    );
    expect(cli.code).toBe(1);
    const report = await auditVerify(db.runtimeUrl, { ring: pinned, digests: kept });
    expect(report.invalid.map((v) => v.streamId).sort()).toEqual([a.streamId, b.streamId, d.streamId].sort());
    for (const v of report.invalid) expect(cli.output).toContain(describeFailure(v));
    expect(report.credentials.map((j) => j.keyId).sort()).toEqual([forgedKey.id, operator.id].sort());
    for (const j of report.credentials) expect(cli.output).toContain(describeCredential(j));
    // Every digest kept before the last tampering differs now (that one changed data every later digest covers).
    expect(report.digests.filter((dg) => !dg.matches)).toHaveLength(kept.length);
    for (const dg of report.digests) expect(cli.output).toContain(describeDigest(dg, report.position));
    expect(cli.output).toContain(`the history up to position ${kept[0].position} changed`);
  });
});

describe('key rotation (e2e, two api processes on one database)', () => {
  it('events name the key that signed them; after a rotation both keys are published and verify, the new one signs', async () => {
    const before = await createTestApp();
    const dir = await mkdtemp(join(tmpdir(), 'coldtrace-rotation-'));
    let after: TestApp | null = null;
    try {
      const n = await registerNetwork(before);
      const { traceCode } = await registerLot(before, n);
      const inspector = await before.issueKey('INSPECTOR', undefined, 'issued under the old key');
      const oldKey = before.keys.signer.signingKeyId;

      // The operator rotates the file: a new private key first, the old one kept as a public key.
      const rotated = join(dir, 'event-signing.key');
      await writeFile(rotated, await readFile(before.signingKeyFile), { mode: 0o600 });
      expect((await runSigningKeyCli(['rotate', rotated])).exitCode).toBe(0);
      after = await createTestApp({ eventSigningKey: { file: rotated, generate: false } }, before);
      const newKey = after.keys.signer.signingKeyId;
      expect(newKey).not.toBe(oldKey);

      const published = (await after.anonymous().get('/api/audit/keys').expect(200)).body;
      expect(published.currentKeyId).toBe(newKey);
      expect(published.keys.map((k: { signingKeyId: string; current: boolean }) => [k.signingKeyId, k.current])).toEqual([
        [newKey, true],
        [oldKey, false],
      ]);

      const scanned = await scanOk(after, { traceCode, facilityId: n.port, action: 'SAMPLE' });
      const history = (await after.http().get(`/api/lots/${traceCode}/history?atLeast=${scanned.position}`).expect(200)).body.events as { signingKeyId: string }[];
      expect(history.map((e) => e.signingKeyId)).toEqual([oldKey, newKey]);
      await after.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200).expect((res) => expect(res.body).toMatchObject({ valid: true, events: 2 }));
      // A key issued (and signed) under the old key is still a credential.
      await after.as(inspector.token).get(`/api/facilities/${n.port}`).expect(200);
      // A process still on the old file does not know the new key: every api needs the rotated file.
      await before.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200).expect((res) => expect(res.body).toMatchObject({ valid: false, firstInvalidVersion: 2, reason: 'UNKNOWN_SIGNING_KEY' }));

      // A verifier pins both keys from GET /api/audit/keys; one pinning only the new key cannot vouch for the old events.
      expect(await auditVerify(after.databaseUrl, { ring: keyRingFromText(JSON.stringify(published)) })).toMatchObject({ invalid: [], credentials: [] });
      const onlyNew = keyRingFromText(JSON.stringify({ keys: published.keys.slice(0, 1) }));
      expect((await auditVerify(after.databaseUrl, { ring: onlyNew })).invalid.map((v) => v.reason)).toContain('UNKNOWN_SIGNING_KEY');
    } finally {
      await after?.close();
      await before.close();
      await rm(dir, { recursive: true, force: true });
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
      // Then signed with the key, as the api does at start (tested below).
      const keys = throwawayKeys();
      expect(await signLegacyEvents(after, keys.signer)).toMatchObject({ signed: 4, refused: null, brokenStreams: [] });

      const audit = new EventLogAudit(after, keys.ring);
      expect(await audit.verifyAll()).toEqual({ streams: 2, events: 4, invalid: [], digests: [] });
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
      const store = new PostgresEventStore(after, undefined, undefined, keys.signer);
      const appended = await appendToStream(after, store, 'lot-OLD-1', [{ type: 'LotUnlocked', schemaVersion: 1, data: { reason: 'cleared' } }], {
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

const SIGN_MIGRATION = 1764400017000;

describe('events written before events were signed (e2e, real PostgreSQL)', () => {
  it('the migration step with the key signs every one the migration counted, where its chain holds, once; a later append chains on, signed', async () => {
    const db = await createTestDatabase();
    const options = dataSourceOptions(db.url);
    const migrations = options.migrations as (new () => MigrationInterface)[];
    const before = new DataSource({ ...options, migrations: migrations.filter((m) => timestampOf(m) < SIGN_MIGRATION) });
    const after = new DataSource(options);
    const keys = throwawayKeys();
    try {
      await before.initialize();
      await before.runMigrations();
      // Written the way the store wrote them then: chained, not signed; positions given, with a gap at 4 (a rolled-back append).
      const streams = {
        'lot-OLD-1': [
          { type: 'LotRegistered', schemaVersion: 1, data: { traceCode: 'OLD-1' }, metadata: { actor: 'x-actor said so' }, occurredAt: '2026-01-01T00:00:00.123Z' },
          { type: 'LotSampled', schemaVersion: 1, data: { scanId: 'S-1' }, metadata: {}, occurredAt: '2026-01-01T00:00:02.500Z' },
        ],
        'lot-OLD-2': [
          { type: 'LotRegistered', schemaVersion: 1, data: { traceCode: 'OLD-2' }, metadata: {}, occurredAt: '2026-01-01T00:00:01.000Z' },
          { type: 'LotSampled', schemaVersion: 1, data: { scanId: 'S-2' }, metadata: {}, occurredAt: '2026-01-01T00:00:03.000Z' },
        ],
      };
      const hashes = Object.fromEntries(
        Object.entries(streams).map(([id, events]) => [id, chainHashes(GENESIS_HASH, events.map((e, i) => ({ ...e, streamId: id, version: i + 1 })))]),
      );
      // lot-OLD-2's second hash was changed before signing existed: that stream is signed only up to version 1.
      hashes['lot-OLD-2'][1] = 'f'.repeat(64);
      await before.query(
        `INSERT INTO event_streams (stream_id, stream_type, version, head_hash) VALUES ('lot-OLD-1', 'lot', 2, decode($1, 'hex')), ('lot-OLD-2', 'lot', 2, decode($2, 'hex'))`,
        [hashes['lot-OLD-1'][1], hashes['lot-OLD-2'][1]],
      );
      const at = [
        ['lot-OLD-1', 1, 1],
        ['lot-OLD-2', 1, 2],
        ['lot-OLD-1', 2, 3],
        ['lot-OLD-2', 2, 5],
      ] as const;
      for (const [id, version, position] of at) {
        const e = streams[id][version - 1];
        await before.query(
          `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
           OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, decode($10, 'hex'))`,
          [position, randomUUID(), id, version, e.type, e.schemaVersion, e.data, e.metadata, e.occurredAt, hashes[id][version - 1]],
        );
      }
      await before.query(`SELECT setval(pg_get_serial_sequence('events', 'global_position'), 5)`);
      await before.destroy();

      await after.initialize();
      expect(await runMigrationsLocked(after)).toEqual(['SignEvents1764400017000', 'GrantRuntimeSignatures1764400018000', 'LotRowsRoomToUpdate1764400019200', 'CreateWebhookSubscriptions1764400020000', 'LotRowsFastCompression1764400021000', 'DashboardLists1764400022000', 'CaptureJobsInTheBackground1764400023000', 'TemperatureUploads1764400024000']);
      expect(await after.query(`SELECT up_to_position::int AS "upTo", events::int AS events FROM event_signing_legacy`)).toEqual([{ upTo: 5, events: 4 }]);
      const audit = new EventLogAudit(after, keys.ring);
      // Unsigned until the step runs.
      expect((await audit.verifyAll()).invalid.map((v) => [v.streamId, v.firstInvalidVersion, v.reason])).toEqual([
        ['lot-OLD-1', 1, 'UNSIGNED'],
        ['lot-OLD-2', 1, 'UNSIGNED'],
      ]);

      // Someone slips an event into the gap below the mark before the key comes: nothing is signed.
      await after.query(`INSERT INTO event_streams (stream_id, stream_type, version, head_hash) VALUES ('lot-SLIPPED', 'lot', 1, decode($1, 'hex'))`, ['a'.repeat(64)]);
      await after.query(
        `INSERT INTO events (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at, hash)
         OVERRIDING SYSTEM VALUE VALUES (4, $1, 'lot-SLIPPED', 1, 'LotRegistered', 1, '{}', '{}', now(), decode($2, 'hex'))`,
        [randomUUID(), 'a'.repeat(64)],
      );
      expect(await signLegacyEvents(after, keys.signer)).toEqual({
        signed: 0,
        upTo: 5,
        refused: '5 events lie at or below position 5, the migration counted 4: the log changed before they were signed, so none is',
        brokenStreams: [],
      });
      expect(await after.query(`SELECT count(*)::int AS n FROM event_signatures`)).toEqual([{ n: 0 }]);

      // Taken out again (by the owner): the step signs what the migration counted, where the chain holds.
      await after.transaction(async (m) => {
        await m.query(`ALTER TABLE events DISABLE TRIGGER events_append_only`);
        await m.query(`DELETE FROM events WHERE stream_id = 'lot-SLIPPED'`);
        await m.query(`DELETE FROM event_streams WHERE stream_id = 'lot-SLIPPED'`);
        await m.query(`ALTER TABLE events ENABLE TRIGGER events_append_only`);
      });
      expect(await signLegacyEvents(after, keys.signer)).toEqual({ signed: 3, upTo: 5, refused: null, brokenStreams: [{ streamId: 'lot-OLD-2', fromVersion: 2 }] });
      expect(await signLegacyEvents(after, keys.signer)).toMatchObject({ signed: 0, refused: null });
      expect((await audit.verifyAll()).invalid.map((v) => [v.streamId, v.firstInvalidVersion, v.reason])).toEqual([['lot-OLD-2', 2, 'HASH_MISMATCH']]);
      const [first] = await after.query(`SELECT signing_key_id, encode(signature, 'hex') AS signature FROM event_signatures WHERE global_position = 1`);
      expect(first).toEqual({ signing_key_id: keys.signer.signingKeyId, signature: keys.signer.signHash(hashes['lot-OLD-1'][0]).signature });

      // The next append chains on from the migrated head, signed as it is written.
      const store = new PostgresEventStore(after, undefined, undefined, keys.signer);
      const appended = await appendToStream(after, store, 'lot-OLD-1', [{ type: 'LotUnlocked', schemaVersion: 1, data: { reason: 'cleared' } }], { streamType: 'lot', expectedVersion: 2 });
      if (appended.kind !== 'appended') throw new Error('expected an append');
      expect(appended.result.events[0].signature).toEqual(keys.signer.signHash(appended.result.events[0].hash));
      expect(await audit.verifyStream('lot-OLD-1')).toEqual({ streamId: 'lot-OLD-1', valid: true, events: 3, headHash: appended.result.events[0].hash });
      // A store opened without a key reads, and refuses to append.
      await expect(appendToStream(after, new PostgresEventStore(after), 'lot-OLD-1', [{ type: 'LotLocked', schemaVersion: 1, data: {} }], { streamType: 'lot', expectedVersion: 3 })).rejects.toThrow(
        'this event store has no signing key',
      );
      // Signatures are as append-only as events.
      await expect(after.query(`UPDATE event_signatures SET signing_key_id = '0000000000000000' WHERE global_position = 1`)).rejects.toThrow(/event signatures are append-only/);
      await expect(after.query(`DELETE FROM event_signatures WHERE global_position = 1`)).rejects.toThrow(/event signatures are append-only/);
    } finally {
      if (before.isInitialized) await before.destroy();
      if (after.isInitialized) await after.destroy();
      await db.drop();
    }
  });
});
