import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credentials as the api checks them, written inline with the key events.
 * `change_seq` comes from a one-row counter that every key change updates in
 * its own transaction: the row lock orders those transactions, so a reader
 * polling `change_seq > last` never misses a change that commits late.
 */
export class CreateApiKeys1764400005000 implements MigrationInterface {
  name = 'CreateApiKeys1764400005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        key_id        text PRIMARY KEY,
        name          text NOT NULL,
        role          text NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'INSPECTOR', 'REGULATOR')),
        facility_ids  text[] NOT NULL DEFAULT '{}',
        token_sha256  text NOT NULL UNIQUE,
        issued_at     timestamptz NOT NULL,
        issued_by     jsonb,
        revoked_at    timestamptz,
        revoked_by    jsonb,
        change_seq    bigint NOT NULL,
        position      bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX api_keys_change_seq ON api_keys (change_seq)`);
    await q.query(`CREATE TABLE api_key_changes (id integer PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL)`);
    await q.query(`INSERT INTO api_key_changes (id, seq) VALUES (1, 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_key_changes`);
    await q.query(`DROP TABLE api_keys`);
  }
}
