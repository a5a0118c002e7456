import { MigrationInterface, QueryRunner } from 'typeorm';
import { RUNTIME_ROLE } from './1764400008000-grant-runtime-role';

/**
 * The default privileges of GrantRuntimeRole1764400008000 gave the runtime
 * role every right on the signature tables: take back all but what appends
 * and the after-the-fact signing need (SELECT, INSERT on event_signatures;
 * SELECT on event_signing_legacy), as for `events`.
 */
export class GrantRuntimeSignatures1764400018000 implements MigrationInterface {
  name = 'GrantRuntimeSignatures1764400018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN RETURN; END IF;
        REVOKE ALL ON event_signatures, event_signing_legacy FROM ${RUNTIME_ROLE};
        GRANT SELECT, INSERT ON event_signatures TO ${RUNTIME_ROLE};
        GRANT SELECT ON event_signing_legacy TO ${RUNTIME_ROLE};
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${RUNTIME_ROLE}') THEN RETURN; END IF;
        GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON event_signatures, event_signing_legacy TO ${RUNTIME_ROLE};
      END $$`);
  }
}
