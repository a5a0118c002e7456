import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DataSource } from 'typeorm';
import { newSigningKeyPem } from '@app/platform';
import { runKeysCli } from '../apps/api/src/cli/keys';
import { adminTokenFileOf } from '../apps/api/src/keys/admin-token-file';
import { captureLogs } from './support/logs';
import { createTestApp, TestApp } from './support/test-app';
import { registerLot, registerNetwork, scanBody, uid, walkToStore } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * Credentials: keys issued, listed and revoked through the API and the CLI,
 * stored only as digests; the first start's admin token; every event signed
 * by the key that wrote it whatever headers claim; idempotency keys scoped to
 * their key; revocation reaching a second process within a second.
 */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const run = promisify(execFile);

/** Everything the database holds, as text: where a token must never appear. */
const everythingStored = async (t: TestApp): Promise<string> => {
  const tables = ['events', 'event_streams', 'idempotency_keys', 'api_keys', 'lot_history', 'lot_summary', 'sale_eligibility'];
  const dumps = await Promise.all(tables.map((table) => t.dataSource.query(`SELECT * FROM ${table}`)));
  return JSON.stringify(dumps);
};

describe('credentials (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('the keys API', () => {
    it('issues a key whose 256-bit token is shown once and stored only as its SHA-256', async () => {
      const n = await registerNetwork(t);
      const res = await t
        .as(t.tokens.admin)
        .post('/api/keys')
        .send({ name: 'scanner-7', role: 'OPERATOR', facilityIds: [n.warehouse, n.store] })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'scanner-7',
        role: 'OPERATOR',
        facilityIds: [n.warehouse, n.store],
        createdAt: expect.any(String),
        token: expect.stringMatching(/^ct_[A-Za-z0-9_-]{43}$/),
      });
      const token = res.body.token as string;
      expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);

      const [row] = await t.dataSource.query(`SELECT token_sha256 FROM api_keys WHERE key_id = $1`, [res.body.id]);
      expect(row.token_sha256).toBe(sha256(token));
      expect(await everythingStored(t)).not.toContain(token);

      const list = await t.as(t.tokens.admin).get('/api/keys').expect(200);
      const listed = (list.body.keys as Record<string, unknown>[]).find((k) => k.id === res.body.id)!;
      expect(listed).toMatchObject({ id: res.body.id, name: 'scanner-7', role: 'OPERATOR', facilityIds: [n.warehouse, n.store], revokedAt: null });
      expect(listed.createdBy).toMatchObject({ role: 'ADMIN', keyId: 'env:ADMIN_TOKEN' });
      expect(JSON.stringify(list.body)).not.toContain(token);
      expect(JSON.stringify(list.body)).not.toContain(sha256(token));

      // It works at once, for its facilities only.
      await t.as(token).get(`/api/facilities/${n.warehouse}/inventory`).expect(200);
      await t.as(token).get(`/api/facilities/${n.port}/inventory`).expect(403);
    });

    it.each([
      ['an OPERATOR without facilities', { name: 'x', role: 'OPERATOR' }, 400, 'VALIDATION_FAILED'],
      ['an OPERATOR with an empty list', { name: 'x', role: 'OPERATOR', facilityIds: [] }, 400, 'VALIDATION_FAILED'],
      ['a REGULATOR limited to facilities', { name: 'x', role: 'REGULATOR', facilityIds: ['PORT-1'] }, 400, 'VALIDATION_FAILED'],
      ['an unknown role', { name: 'x', role: 'ROOT' }, 400, 'VALIDATION_FAILED'],
      ['no name', { role: 'INSPECTOR' }, 400, 'VALIDATION_FAILED'],
      ['an unknown field', { name: 'x', role: 'INSPECTOR', expires: 'never' }, 400, 'VALIDATION_FAILED'],
      ['an unregistered facility', { name: 'x', role: 'OPERATOR', facilityIds: ['NOWHERE-1'] }, 404, 'FACILITY_NOT_FOUND'],
    ])('refuses %s (%i %s) and records nothing', async (_name, body, status, code) => {
      const head = await t.store.headPosition();
      const res = await t.as(t.tokens.admin).post('/api/keys').send(body);
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      expect(await t.store.headPosition()).toBe(head);
    });

    it('key creation and revocation are events in the key stream, signed by the admin who made them', async () => {
      const { id, token } = await t.issueKey('INSPECTOR', undefined, 'lab system');
      const revoked = await t.as(t.tokens.admin).delete(`/api/keys/${id}`).expect(200);
      expect(revoked.body).toMatchObject({ id, revokedAt: expect.any(String) });
      await t.as(token).get('/api/facilities/none').expect(401);
      // Revoking again changes nothing and answers the first revocation.
      const again = await t.as(t.tokens.admin).delete(`/api/keys/${id}`).expect(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);

      const stream = await t.store.readStream(`apikey-${id}`);
      expect(stream.events.map((e) => e.type)).toEqual(['ApiKeyIssued', 'ApiKeyRevoked']);
      for (const e of stream.events) expect(e.metadata.actor).toEqual({ keyId: 'env:ADMIN_TOKEN', name: 'ADMIN_TOKEN', role: 'ADMIN' });
      expect(JSON.stringify(stream.events[0].data)).not.toContain(token);

      const unknown = await t.as(t.tokens.admin).delete(`/api/keys/${uid()}`);
      expect({ status: unknown.status, code: unknown.body.code }).toEqual({ status: 404, code: 'KEY_NOT_FOUND' });
    });
  });

  describe('attribution', () => {
    it('history shows the key that wrote each event, whatever x-actor claims', async () => {
      const n = await registerNetwork(t);
      const portKey = await t.issueKey('OPERATOR', [n.port], 'port scanner 3');
      const { traceCode } = await registerLot(t, n);
      const forged = await t
        .as(portKey.token)
        .post('/api/scans')
        .set('x-actor', 'SAMR-inspector-007')
        .send(scanBody({ traceCode, facilityId: n.port, action: 'SAMPLE' }))
        .expect(201);
      const locked = await t
        .as(t.tokens.regulator)
        .post(`/api/lots/${traceCode}/lock`)
        .set('x-actor', 'somebody-else')
        .send({ reason: 'check' })
        .expect(200);

      const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${Math.max(forged.body.position, locked.body.position)}`).expect(200);
      const byType = Object.fromEntries((history.body.events as { type: string; actor: unknown }[]).map((e) => [e.type, e.actor]));
      expect(byType.LotSampled).toEqual({ keyId: portKey.id, name: 'port scanner 3', role: 'OPERATOR' });
      expect(byType.LotLocked).toMatchObject({ name: 'test-regulator', role: 'REGULATOR' });
      expect(JSON.stringify(history.body)).not.toContain('SAMR-inspector-007');
      expect(JSON.stringify(await t.store.readStream(`lot-${traceCode}`))).not.toContain('SAMR-inspector-007');
    });
  });

  describe('idempotency keys belong to the key that used them', () => {
    it("another key's guessed scanId neither blocks the rightful scanner nor receives its answer", async () => {
      const n = await registerNetwork(t);
      const { traceCode } = await registerLot(t, n);
      await walkToStore(t, n, traceCode);
      const till = await t.issueKey('OPERATOR', [n.store], 'till 1');
      const intruder = await t.issueKey('OPERATOR', [n.store], 'till 2 (misconfigured)');
      const scanId = `SALE-${uid()}`;

      // The other key uses the id first, for something else.
      const squatted = await t.as(intruder.token).post('/api/scans').send(scanBody({ scanId, traceCode, facilityId: n.store, action: 'SAMPLE' }));
      expect(squatted.status).toBe(201);

      const sale = scanBody({ scanId, traceCode, facilityId: n.store, action: 'SELL', zoneId: n.zones.storeSales, quantity: 3 });
      const sold = await t.as(till.token).post('/api/scans').send(sale);
      expect(sold.status).toBe(201);
      expect(sold.body.events.map((e: { type: string }) => e.type)).toEqual(['LotSold']);
      // Each key's retry gets its own first answer.
      expect((await t.as(till.token).post('/api/scans').send(sale)).body).toEqual(sold.body);
      // ... and the other key sending the till's very body does not get the till's answer: it is a reuse of its own id.
      const reused = await t.as(intruder.token).post('/api/scans').send(sale);
      expect({ status: reused.status, code: reused.body.code }).toEqual({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });

      // The same body from another key is that key's own request: judged and recorded afresh, not answered from the store.
      const sample = scanBody({ traceCode, facilityId: n.store, action: 'SAMPLE' });
      const first = await t.as(till.token).post('/api/scans').send(sample).expect(201);
      const other = await t.as(intruder.token).post('/api/scans').send(sample).expect(201);
      expect(other.body.version).toBe(first.body.version + 1);
    });
  });

  describe('token checks are answered from memory', () => {
    it('many authenticated reads cost no credential query; a revocation in the same process still takes effect at once', async () => {
      const quiet = await createTestApp({ authRefreshMs: 60_000 });
      try {
        const n = await registerNetwork(quiet);
        const { traceCode, position } = await registerLot(quiet, n);
        const key = await quiet.issueKey('OPERATOR', [n.port], 'reader');
        await quiet.as(key.token).get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${position}`).expect(200);

        const credentialQueries: string[] = [];
        const query = quiet.dataSource.query.bind(quiet.dataSource);
        const spy = jest.spyOn(quiet.dataSource, 'query').mockImplementation((...args: Parameters<DataSource['query']>) => {
          if (/api_keys/.test(args[0])) credentialQueries.push(args[0]);
          return query(...args);
        });
        try {
          for (let i = 0; i < 100; i++) await quiet.as(key.token).get(`/api/lots/${traceCode}/sale-eligibility`).expect(200);
          expect(credentialQueries).toEqual([]);
        } finally {
          spy.mockRestore();
        }

        await quiet.as(quiet.tokens.admin).delete(`/api/keys/${key.id}`).expect(200);
        await quiet.as(key.token).get(`/api/lots/${traceCode}/sale-eligibility`).expect(401);
      } finally {
        await quiet.close();
      }
    });
  });

  describe('two api processes on one database', () => {
    it('a key issued on one works on the other at once; revoked on one, refused by the other within 1 s', async () => {
      const other = await createTestApp({}, t);
      try {
        const n = await registerNetwork(t);
        const key = await t.issueKey('OPERATOR', [n.port], 'roaming scanner');
        await other.as(key.token).get(`/api/facilities/${n.port}`).expect(200);

        await t.as(t.tokens.admin).delete(`/api/keys/${key.id}`).expect(200);
        const revokedAt = Date.now();
        await waitFor('the other process to refuse the revoked key', async () => (await other.as(key.token).get(`/api/facilities/${n.port}`)).status === 401, 5_000, 10);
        expect(Date.now() - revokedAt).toBeLessThan(1_000);
      } finally {
        await other.close();
      }
    });
  });

  describe('the first start', () => {
    it("with no ADMIN_TOKEN and no ADMIN key: issues one, writes its token to the database's file in DATA_DIR (0600) and logs only the path", async () => {
      const logs = captureLogs();
      const logged = () => logs.lines.map((l) => JSON.stringify(l)).join('\n');
      const fresh = await createTestApp({ adminToken: null }, undefined, { log: logs.log });
      try {
        const file = adminTokenFileOf(fresh.config.dataDir, fresh.config.databaseUrl, false);
        expect(file).toMatch(/\/admin-[A-Za-z0-9_-]+-[0-9a-f]{8}\.token$/);
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        const token = (await readFile(file, 'utf8')).trim();
        expect(token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
        const keys = await fresh.as(token).get('/api/keys').expect(200);
        expect(keys.body.keys).toEqual([
          expect.objectContaining({ name: 'first-start admin', role: 'ADMIN', revokedAt: null, createdBy: expect.objectContaining({ keyId: 'system:first-start' }) }),
        ]);
        expect(logged()).toContain(file);
        expect(logged()).not.toContain(token);

        // A second process on the same database finds the ADMIN key and writes nothing.
        const second = await createTestApp({ adminToken: null }, fresh);
        try {
          await expect(stat(adminTokenFileOf(second.config.dataDir, second.config.databaseUrl, false))).rejects.toThrow();
          const after = await second.as(token).get('/api/keys').expect(200);
          expect(after.body.keys).toHaveLength(1);
        } finally {
          await second.close();
        }
      } finally {
        await fresh.close();
      }
    });

    it('with ADMIN_TOKEN set: that is the ADMIN credential, and no key or file is made', async () => {
      await expect(stat(adminTokenFileOf(t.config.dataDir, t.config.databaseUrl, false))).rejects.toThrow();
      await expect(stat(join(t.config.dataDir, 'admin.token'))).rejects.toThrow();
      const keys = await t.as(t.tokens.admin).get('/api/keys').expect(200);
      expect((keys.body.keys as { role: string }[]).filter((k) => k.role === 'ADMIN')).toEqual([]);
    });
  });

  describe('the keys CLI', () => {
    it('creates, lists and revokes keys offline; a running service honours them', async () => {
      const n = await registerNetwork(t);
      const name = `cli-scanner-${uid()}`;
      const created = await runKeysCli(['create', '--role', 'OPERATOR', '--facility', n.warehouse, '--name', name], t.databaseUrl, { signingKey: t.config.eventSigningKey });
      expect(created.exitCode).toBe(0);
      const token = created.stdout[created.stdout.length - 1];
      expect(token).toMatch(/^ct_[A-Za-z0-9_-]{43}$/);
      await t.as(token).get(`/api/facilities/${n.warehouse}/inventory`).expect(200);

      const listed = await runKeysCli(['list'], t.databaseUrl, { signingKey: t.config.eventSigningKey });
      const line = listed.stdout.find((l) => l.includes(name))!;
      expect(line).toContain('OPERATOR');
      expect(line).toContain(n.warehouse);
      expect(listed.stdout.join('\n')).not.toContain(token);

      const id = line.split('\t')[0];
      const issued = await t.store.readStream(`apikey-${id}`);
      expect(issued.events[0].metadata.actor).toMatchObject({ keyId: 'system:keys-cli', role: 'ADMIN' });

      expect((await runKeysCli(['revoke', id], t.databaseUrl, { signingKey: t.config.eventSigningKey })).exitCode).toBe(0);
      await waitFor('the service to refuse the revoked key', async () => (await t.as(token).get(`/api/facilities/${n.warehouse}`)).status === 401, 5_000, 20);

      expect((await runKeysCli(['create', '--role', 'OPERATOR', '--name', 'no facilities'], t.databaseUrl, { signingKey: t.config.eventSigningKey })).exitCode).not.toBe(0);
      expect((await runKeysCli(['revoke', uid()], t.databaseUrl, { signingKey: t.config.eventSigningKey })).stderr.join(' ')).toContain('KEY_NOT_FOUND');
      expect((await runKeysCli(['frobnicate'], t.databaseUrl, { signingKey: t.config.eventSigningKey })).exitCode).toBe(2);
    });

    it('runs as a command (the built CLI) and prints the token last', async () => {
      const { stdout } = await run('node', [join(__dirname, '..', 'dist/apps/api/src/cli/keys.js'), 'create', '--role', 'REGULATOR', '--name', 'cli-test'], {
        env: { ...process.env, DATABASE_URL: t.databaseUrl, EVENT_SIGNING_KEY_FILE: t.signingKeyFile, LOG_LEVEL: 'warn' },
      });
      const token = stdout.trim().split('\n').pop()!;
      await t.as(token).get('/api/lots').expect(200);
    });

    it('writes key events only with the event-signing key: without EVENT_SIGNING_KEY_FILE it stops and names it; with another key, its key is no credential', async () => {
      const cli = join(__dirname, '..', 'dist/apps/api/src/cli/keys.js');
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'warn' };
      delete env.EVENT_SIGNING_KEY_FILE;
      const refused = await run('node', [cli, 'create', '--role', 'ADMIN', '--name', 'no key'], { env }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('EVENT_SIGNING_KEY_FILE must be set when DATABASE_URL is');
      // Listing needs no key.
      expect((await runKeysCli(['list'], t.databaseUrl)).exitCode).toBe(0);

      // A key made with some other signing key (a database-only attacker's, say) is written, but no api trusts it.
      const dir = await mkdtemp(join(tmpdir(), 'coldtrace-other-key-'));
      try {
        const other = join(dir, 'other.key');
        await writeFile(other, newSigningKeyPem(), { mode: 0o600 });
        const created = await runKeysCli(['create', '--role', 'ADMIN', '--name', 'other signer'], t.databaseUrl, { signingKey: { file: other, generate: false } });
        expect(created.exitCode).toBe(0);
        const res = await t.as(created.stdout[0]).get('/api/keys');
        expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
