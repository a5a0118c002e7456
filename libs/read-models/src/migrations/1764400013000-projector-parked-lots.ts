import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kafka mode: lots whose read models the projector could not bring up to
 * date (an event missing from what it received, or one that cannot be
 * applied). Such a lot is not folded past the hole; readers are told it is
 * stale; the projector heals it from the event store when it can. Events it
 * fetched from the store that way are marked HEALED in the inbox.
 */
export class ProjectorParkedLots1764400013000 implements MigrationInterface {
  name = 'ProjectorParkedLots1764400013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projector_parked (
        stream_id   text PRIMARY KEY,
        reason      text NOT NULL,
        since       timestamptz NOT NULL DEFAULT now(),
        attempts    integer NOT NULL DEFAULT 0,
        last_error  text
      )`);
    await q.query(`ALTER TABLE projector_inbox DROP CONSTRAINT projector_inbox_outcome_check`);
    await q.query(`ALTER TABLE projector_inbox ADD CONSTRAINT projector_inbox_outcome_check CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED', 'HEALED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM projector_inbox WHERE outcome = 'HEALED'`);
    await q.query(`ALTER TABLE projector_inbox DROP CONSTRAINT projector_inbox_outcome_check`);
    await q.query(`ALTER TABLE projector_inbox ADD CONSTRAINT projector_inbox_outcome_check CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED'))`);
    await q.query(`DROP TABLE projector_parked`);
  }
}
