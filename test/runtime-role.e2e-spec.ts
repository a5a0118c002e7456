import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EventLogAudit } from '@app/event-store';
import { RUNTIME_ROLE } from '@app/platform';
import { auditVerify } from '../apps/api/src/cli/audit-verify';
import { rebuildProjections } from '../apps/api/src/cli/rebuild-projections';
import { RuntimeRoleCheck } from '../apps/api/src/audit/runtime-role.check';
import { createTestApp, TestApp } from './support/test-app';
import { adminUrl, createTestDatabase } from './support/test-database';
import { attachAllPapers, registerLot, registerNetwork, scanOk } from './support/fixtures';

const withClient = async <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const urlAs = (databaseUrl: string, user: string, password: string): string => {
  const u = new URL(databaseUrl);
  u.username = user;
  u.password = password;
  return u.toString();
};

/**
 * The deployment docker-compose.yml sets up: an owner role that runs the
 * migrations (MIGRATIONS_DATABASE_URL) and a runtime login, member of
 * coldtrace_runtime, that the services run as (DATABASE_URL).
 */
describe('runtime database role (e2e, real PostgreSQL)', () => {
  // Roles are cluster-wide: the group is shared (created if missing), the logins are this run's own.
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const owner = { name: `coldtrace_owner_${suffix}`, password: randomBytes(12).toString('hex') };
  const runtime = { name: `coldtrace_rt_${suffix}`, password: randomBytes(12).toString('hex') };
  let db: { url: string; drop: () => Promise<void> };
  let ownerUrl: string;
  let runtimeUrl: string;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const database = new URL(db.url).pathname.slice(1);
    await withClient(adminUrl(), async (c) => {
      await c.query(`DO $$ BEGIN CREATE ROLE ${RUNTIME_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
      await c.query(`CREATE ROLE ${owner.name} LOGIN PASSWORD '${owner.password}'`);
      await c.query(`CREATE ROLE ${runtime.name} LOGIN PASSWORD '${runtime.password}' IN ROLE ${RUNTIME_ROLE}`);
      // PostgreSQL 15+: the public schema belongs to the database's owner.
      await c.query(`ALTER DATABASE ${database} OWNER TO ${owner.name}`);
    });
    ownerUrl = urlAs(db.url, owner.name, owner.password);
    runtimeUrl = urlAs(db.url, runtime.name, runtime.password);
    // The app on this run's database (its own, so sharing it drops nothing): pool as the runtime role, migrations as the owner.
    t = await createTestApp({ migrationsDatabaseUrl: ownerUrl }, { databaseUrl: runtimeUrl } as TestApp);
  });

  afterAll(async () => {
    await t?.close();
    await db.drop();
    await withClient(adminUrl(), async (c) => {
      await c.query(`DROP ROLE IF EXISTS ${runtime.name}`);
      await c.query(`DROP ROLE IF EXISTS ${owner.name}`);
    });
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
    await t.http().post('/api/audit/digest/verify').send({ position: digest.position, digest: digest.digest }).expect(200, {
      consistent: true,
      position: digest.position,
      digest: digest.digest,
    });

    // The CLIs run as the runtime role too: the audit only reads, a rebuild truncates read models only.
    expect((await auditVerify(runtimeUrl)).invalid).toEqual([]);
    await t.projections.stop();
    const counts = await rebuildProjections(runtimeUrl, undefined, ownerUrl);
    expect(counts['lot-history']).toBeGreaterThan(0);
  });

  it('cannot UPDATE, DELETE or TRUNCATE events, nor switch their trigger off', async () => {
    await withClient(runtimeUrl, async (c) => {
      await expect(c.query(`UPDATE events SET data = data WHERE global_position = 1`)).rejects.toThrow(/permission denied for table events/);
      await expect(c.query(`DELETE FROM events WHERE global_position = 1`)).rejects.toThrow(/permission denied for table events/);
      await expect(c.query(`TRUNCATE events`)).rejects.toThrow(/permission denied for table events/);
      await expect(c.query(`ALTER TABLE events DISABLE TRIGGER events_append_only`)).rejects.toThrow(/must be owner of table events/);
      // What it does need, it has.
      await expect(c.query(`SELECT count(*) FROM events`)).resolves.toBeDefined();
    });
    expect(await new EventLogAudit(t.dataSource).eventsWritePrivileges()).toEqual({ role: runtime.name, privileges: [] });
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
