import { MigrationInterface, QueryRunner } from 'typeorm';

/** When each event reached the history read model: with `recorded_at`, the end-to-end lag of the read side. */
export class AddProjectedAtToLotHistory1764400003000 implements MigrationInterface {
  name = 'AddProjectedAtToLotHistory1764400003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot_history ADD COLUMN projected_at timestamptz NOT NULL DEFAULT clock_timestamp()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot_history DROP COLUMN projected_at`);
  }
}
