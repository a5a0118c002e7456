import { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role a deployment's runtime login belongs to (MIGRATIONS_DATABASE_URL is the owner). */
export const RUNTIME_ROLE = 'coldtrace_runtime';

/** Event-store tables: the runtime role gets exactly what appends and subscriptions need, never UPDATE/DELETE/TRUNCATE on events. */
const STORE_GRANTS: readonly [table: string, privileges: string][] = [
  ['events', 'SELECT, INSERT'],
  ['event_streams', 'SELECT, INSERT, UPDATE'],
  ['idempotency_keys', 'SELECT, INSERT, UPDATE'],
  ['subscription_checkpoints', 'SELECT, INSERT, UPDATE'],
];

/**
 * When a role named coldtrace_runtime exists (docker-compose's init script
 * creates it; so can an operator, before the first start), grants it what
 * the services need and no more: the event store's tables as above, every
 * read-model table in full (a rebuild truncates them), the sequences; and,
 * through default privileges, the tables later migrations of this owner
 * create. Without the role, nothing happens: one role owns and runs, as before.
 */
export class GrantRuntimeRole1764400008000 implements MigrationInterface {
  name = 'GrantRuntimeRole1764400008000';

  async up(q: QueryRunner): Promise<void> {
    const store = STORE_GRANTS.map(([t]) => `'${t}'`).join(', ');
    await q.query(`
      DO $$
      DECLARE t text;
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN RETURN; END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${RUNTIME_ROLE}', current_schema());
        ${STORE_GRANTS.map(([t, p]) => `GRANT ${p} ON ${t} TO ${RUNTIME_ROLE};`).join('\n        ')}
        FOR t IN SELECT tablename FROM pg_tables
                  WHERE schemaname = current_schema() AND tablename NOT IN (${store}, 'schema_migrations') LOOP
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I TO ${RUNTIME_ROLE}', t);
        END LOOP;
        EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO ${RUNTIME_ROLE}', current_schema());
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN RETURN; END IF;
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM ${RUNTIME_ROLE}', current_schema());
        EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM ${RUNTIME_ROLE}', current_schema());
      END $$`);
  }
}
