import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { EventLogAudit } from '@app/event-store';
import { auditVerify, describeCredential } from '../apps/api/src/cli/audit-verify';
import { rebuildProjections } from '../apps/api/src/cli/rebuild-projections';
import { RuntimeRoleCheck } from '../apps/api/src/audit/runtime-role.check';
import { newToken, tokenDigest } from '../apps/api/src/access/access-token';
import { createTestApp, TestApp } from './support/test-app';
import { createRoleDatabase, RoleDatabase, withClient } from './support/database-roles';
import { attachAllPapers, registerLot, registerNetwork, scanOk } from './support/fixtures';
import { waitFor } from './support/wait-for';

/**
 * The deployment docker-compose.yml sets up: an owner role that runs the
 * migrations (MIGRATIONS_DATABASE_URL) and a runtime login, member of
 * coldtrace_runtime, that the services run as (DATABASE_URL).
 */
describe('runtime database role (e2e, real PostgreSQL)', () => {
  let db: RoleDatabase;
  let ownerUrl: string;
  let runtimeUrl: string;
  let owner: { name: string };
  let runtime: { name: string };
  let t: TestApp;

  beforeAll(async () => {
    db = await createRoleDatabase();
    ({ ownerUrl, runtimeUrl } = db);
    owner = { name: db.owner };
    runtime = { name: db.runtime };
    // The app on this run's database (its own, so sharing it drops nothing): pool as the runtime role, migrations as the owner.
    t = await createTestApp({ migrationsDatabaseUrl: ownerUrl }, { databaseUrl: runtimeUrl } as TestApp);
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('migrates as the owner and serves commands and reads as the runtime role', async () => {
    const [who] = await t.dataSource.query(`SELECT current_user AS user, (SELECT tableowner FROM pg_tables WHERE tablename = 'events') AS owner`);
    expect(who).toEqual({ user: runtime.name, owner: owner.name });

    const n = await registerNetwork(t);
    const { traceCode } = await registerLot(t, n);
    await attachAllPapers(t, traceCode);
    await scanOk(t, { traceCode, facilityId: n.port, action: 'DISPATCH', toFacilityId: n.warehouse, vehicle: { plate: 'TRUCK-1' } });
    const last = await scanOk(t, { traceCode, facilityId: n.warehouse, action: 'RECEIVE', zoneId: n.zones.warehouseIntake });
    const split = await t
      .http()
      .post(`/api/lots/${traceCode}/splits`)
      .send({ splitId: `SPLIT-${randomBytes(4).toString('hex')}`, children: [{ traceCode: `${traceCode}-A`, quantity: 10 }] })
      .expect(201);

    const history = await t.http().get(`/api/lots/${traceCode}/history?atLeast=${split.body.position}`).expect(200);
    expect(history.body.events.length).toBeGreaterThan(6);
    await t.http().get(`/api/lots/${traceCode}/sale-eligibility?atLeast=${last.position}`).expect(200);
    await t.http().get(`/api/lots/${traceCode}/trace?direction=forward&atLeast=${split.body.position}`).expect(200);
    await t.http().get(`/api/audit/lots/${traceCode}/verify`).expect(200).expect((res) => expect(res.body.valid).toBe(true));
    const digest = (await t.http().get('/api/audit/digest').expect(200)).body;
    const checked = await t.http().post('/api/audit/digest/verify').send({ position: digest.position, digest: digest.digest }).expect(200);
    expect(checked.body).toMatchObject({ consistent: true, position: digest.position, digest: digest.digest, valid: true, invalid: [] });

    // The CLIs run as the runtime role too: the audit only reads, a rebuild truncates read models only.
    expect(await auditVerify(runtimeUrl, { ring: t.keys.ring })).toMatchObject({ invalid: [], credentials: [] });
    await t.projections.stop();
    const counts = await rebuildProjections(runtimeUrl, undefined, ownerUrl);
    expect(counts['lot-history']).toBeGreaterThan(0);
  });

  it('cannot UPDATE, DELETE or TRUNCATE events or their signatures, nor switch their triggers off, nor move the legacy mark', async () => {
    await withClient(runtimeUrl, async (c) => {
      for (const [table, column] of [
        ['events', 'data'],
        ['event_signatures', 'signing_key_id'],
      ]) {
        await expect(c.query(`UPDATE ${table} SET ${column} = ${column} WHERE global_position = 1`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(c.query(`DELETE FROM ${table} WHERE global_position = 1`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(c.query(`TRUNCATE ${table}`)).rejects.toThrow(`permission denied for table ${table}`);
        await expect(c.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`)).rejects.toThrow(`must be owner of table ${table}`);
        // What it does need, it has.
        await expect(c.query(`SELECT count(*) FROM ${table}`)).resolves.toBeDefined();
      }
      await expect(c.query(`UPDATE event_signing_legacy SET up_to_position = up_to_position + 1000`)).rejects.toThrow('permission denied for table event_signing_legacy');
    });
    expect(await new EventLogAudit(t.dataSource, t.keys.ring).eventsWritePrivileges()).toEqual({ role: runtime.name, privileges: [] });
  });

  it('cannot mint a credential: a key row it writes into api_keys, or a role it changes there, is no credential (401), and audit:verify names both', async () => {
    const n = await registerNetwork(t);
    const operator = await t.issueKey('OPERATOR', [n.warehouse], 'warehouse scanner');
    await t.as(operator.token).get(`/api/facilities/${n.warehouse}/inventory`).expect(200);

    // What the outside probe did as this login: a new ADMIN row (and the change counter bumped so every api reads it),
    // and the operator's row made a REGULATOR's.
    const forged = { id: `forged-${randomBytes(4).toString('hex')}`, token: newToken() };
    await withClient(runtimeUrl, async (c) => {
      const [{ seq }] = (await c.query(`UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq`)).rows;
      await c.query(
        `INSERT INTO api_keys (key_id, name, role, facility_ids, token_sha256, issued_at, change_seq, position) VALUES ($1, 'probe', 'ADMIN', '{}', $2, now(), $3, 1)`,
        [forged.id, tokenDigest(forged.token), seq],
      );
      const [{ seq: next }] = (await c.query(`UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq`)).rows;
      await c.query(`UPDATE api_keys SET role = 'REGULATOR', facility_ids = '{}', change_seq = $2 WHERE key_id = $1`, [operator.id, next]);
    });

    // An unknown token makes the api read the changed rows at once: the forged one is judged, and refused.
    const started = Date.now();
    const refused = await t.as(forged.token).get('/api/keys');
    expect([refused.status, refused.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    await t.as(forged.token).post('/api/keys').send({ name: 'mine', role: 'ADMIN' }).expect(401);
    // The operator's row no longer says what its signed ApiKeyIssued says: no credential at all, never a REGULATOR.
    await waitFor('the changed operator row to be refused', async () => (await t.as(operator.token).get(`/api/facilities/${n.warehouse}`)).status === 401, 5_000, 20);
    await t.as(operator.token).get('/api/lots').expect(401);
    expect(Date.now() - started).toBeLessThan(5_000);

    // A regulator's check, as this same login (no owner needed), names both rows and why.
    const report = await auditVerify(runtimeUrl, { ring: t.keys.ring });
    expect(report.invalid).toEqual([]);
    expect(report.credentials.map(describeCredential).sort()).toEqual(
      [
        `CREDENTIAL ${forged.id} is not a credential: no signed ApiKeyIssued event: stream apikey-${forged.id} does not exist`,
        `CREDENTIAL ${operator.id} is not a credential: role REGULATOR in api_keys, OPERATOR in its signed ApiKeyIssued; facilities [] in api_keys, [${n.warehouse}] in its signed ApiKeyIssued`,
      ].sort(),
    );
  });

  it('warns at start only when the role it runs as could rewrite events', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      await t.app.get(RuntimeRoleCheck).onApplicationBootstrap();
      expect(warn).not.toHaveBeenCalled();

      const asOwner = await createTestApp({}, { databaseUrl: ownerUrl } as TestApp);
      try {
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(`database role "${owner.name}" may UPDATE, DELETE, TRUNCATE the events table`));
      } finally {
        await asOwner.close();
      }
    } finally {
      warn.mockRestore();
    }
  });
});
