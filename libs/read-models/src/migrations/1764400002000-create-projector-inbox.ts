import { MigrationInterface, QueryRunner } from 'typeorm';

/** Events the Kafka projector has handled: its dedupe key and the read-your-writes index. */
export class CreateProjectorInbox1764400002000 implements MigrationInterface {
  name = 'CreateProjectorInbox1764400002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE projector_inbox (
        event_id        uuid PRIMARY KEY,
        global_position bigint NOT NULL,
        stream_id       text NOT NULL,
        outcome         text NOT NULL CHECK (outcome IN ('APPLIED', 'DEAD_LETTERED')),
        processed_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX projector_inbox_position ON projector_inbox (global_position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE projector_inbox`);
  }
}
