import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lot's origin countries and importers become lists (a merge of lots from
 * Brazil and Argentina is both, not "BR,AR"), indexed so a filter on any one
 * of them uses the index. The rows are refilled from the event log by the
 * current projection code (read_model_rebuilds), which also rewrites the lot
 * record each lot_summary row keeps.
 */
export class MergedOrigins1764400014000 implements MigrationInterface {
  name = 'MergedOrigins1764400014000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE lot_summary, sale_eligibility`);
    for (const table of ['lot_summary', 'sale_eligibility']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN importer, DROP COLUMN origin_country,
        ADD COLUMN importers text[] NOT NULL, ADD COLUMN origin_countries text[] NOT NULL`);
    }
    await q.query(`CREATE INDEX sale_eligibility_importers ON sale_eligibility USING gin (importers)`);
    await q.query(`CREATE INDEX sale_eligibility_origins ON sale_eligibility USING gin (origin_countries)`);
    await q.query(
      `INSERT INTO read_model_rebuilds (projection, reason) VALUES ('lot-summary', $1), ('sale-eligibility', $1)
       ON CONFLICT (projection) DO NOTHING`,
      ['origin countries and importers became lists'],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The old code refills nothing by itself: run `npm run projections:rebuild` with it after going down.
    await q.query(`TRUNCATE lot_summary, sale_eligibility`);
    for (const table of ['lot_summary', 'sale_eligibility']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN importers, DROP COLUMN origin_countries, ADD COLUMN importer text, ADD COLUMN origin_country text`);
    }
    await q.query(`CREATE INDEX sale_eligibility_importer ON sale_eligibility (importer)`);
    await q.query(`CREATE INDEX sale_eligibility_origin ON sale_eligibility (origin_country)`);
  }
}
