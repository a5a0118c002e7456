import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { RUNTIME_ROLE } from '@app/platform';
import { adminUrl, createTestDatabase } from './test-database';

export const withClient = async <T>(url: string, work: (c: Client) => Promise<T>): Promise<T> => {
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

export interface RoleDatabase {
  readonly url: string;
  /** The schema owner (MIGRATIONS_DATABASE_URL): may switch the append-only triggers off. */
  readonly ownerUrl: string;
  readonly owner: string;
  /** A login in coldtrace_runtime (DATABASE_URL): what the services, and whoever steals their credentials, hold. */
  readonly runtimeUrl: string;
  readonly runtime: string;
  drop(): Promise<void>;
}

/**
 * The deployment docker-compose.yml sets up, on a fresh database: an owner
 * role that runs the migrations and a runtime login, member of
 * coldtrace_runtime, that the services run as. Roles are cluster-wide: the
 * group is shared (created if missing), the logins are this run's own.
 */
export const createRoleDatabase = async (): Promise<RoleDatabase> => {
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const owner = { name: `coldtrace_owner_${suffix}`, password: randomBytes(12).toString('hex') };
  const runtime = { name: `coldtrace_rt_${suffix}`, password: randomBytes(12).toString('hex') };
  const db = await createTestDatabase();
  const database = new URL(db.url).pathname.slice(1);
  await withClient(adminUrl(), async (c) => {
    await c.query(`DO $$ BEGIN CREATE ROLE ${RUNTIME_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await c.query(`CREATE ROLE ${owner.name} LOGIN PASSWORD '${owner.password}'`);
    await c.query(`CREATE ROLE ${runtime.name} LOGIN PASSWORD '${runtime.password}' IN ROLE ${RUNTIME_ROLE}`);
    // PostgreSQL 15+: the public schema belongs to the database's owner.
    await c.query(`ALTER DATABASE ${database} OWNER TO ${owner.name}`);
  });
  return {
    url: db.url,
    ownerUrl: urlAs(db.url, owner.name, owner.password),
    owner: owner.name,
    runtimeUrl: urlAs(db.url, runtime.name, runtime.password),
    runtime: runtime.name,
    drop: async () => {
      await db.drop();
      await withClient(adminUrl(), async (c) => {
        await c.query(`DROP ROLE IF EXISTS ${runtime.name}`);
        await c.query(`DROP ROLE IF EXISTS ${owner.name}`);
      });
    },
  };
};
