import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Where e2e tests create their databases: TEST_DATABASE_URL (an admin URL),
 * else the local PostgreSQL on 127.0.0.1:5432, else (set by global-setup) an
 * embedded PostgreSQL started just for the run.
 */
export const adminUrl = (): string =>
  process.env.TEST_DATABASE_URL || process.env.COLDTRACE_TEST_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const withAdmin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

/** A fresh, uniquely named database; every test file gets its own so runs never see each other's data. */
export const createTestDatabase = async (): Promise<{ url: string; drop: () => Promise<void> }> => {
  const name = `coldtrace_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
};
