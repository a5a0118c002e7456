import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The lot read models stop storing the domain's state: lot_summary keeps a
 * lot record, the eligibility facts and the facilities that may see the lot;
 * sale_eligibility the facts and the flags. Rows are refilled from the event
 * log by the current projection code, not by this migration: it records a
 * rebuild request, which the service (or projector) carries out at start,
 * before it serves reads from these tables.
 */
export class ReadModelsOwnShapes1764400012000 implements MigrationInterface {
  name = 'ReadModelsOwnShapes1764400012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE read_model_rebuilds (
        projection   text PRIMARY KEY,
        reason       text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`TRUNCATE lot_summary, sale_eligibility`);
    await q.query(`ALTER TABLE lot_summary DROP COLUMN state,
      ADD COLUMN lot jsonb NOT NULL, ADD COLUMN facts jsonb NOT NULL, ADD COLUMN facility_ids text[] NOT NULL`);
    await q.query(`ALTER TABLE sale_eligibility DROP COLUMN state,
      ADD COLUMN facts jsonb NOT NULL, ADD COLUMN flag_list jsonb NOT NULL, ADD COLUMN facility_ids text[] NOT NULL`);
    await q.query(
      `INSERT INTO read_model_rebuilds (projection, reason) VALUES ('lot-summary', $1), ('sale-eligibility', $1)
       ON CONFLICT (projection) DO NOTHING`,
      ['rows reshaped: lot record and eligibility facts instead of the domain state'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The old code refills nothing by itself: run `npm run projections:rebuild` with it after going down.
    await q.query(`TRUNCATE lot_summary, sale_eligibility`);
    await q.query(`ALTER TABLE sale_eligibility DROP COLUMN facts, DROP COLUMN flag_list, DROP COLUMN facility_ids, ADD COLUMN state jsonb NOT NULL`);
    await q.query(`ALTER TABLE lot_summary DROP COLUMN lot, DROP COLUMN facts, DROP COLUMN facility_ids, ADD COLUMN state jsonb NOT NULL`);
    await q.query(`DROP TABLE read_model_rebuilds`);
  }
}
