import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lot genealogy (written inline with the split/merge events), recalls, and the regulator's filters on eligibility. */
export class CreateGenealogyAndRecalls1764400004000 implements MigrationInterface {
  name = 'CreateGenealogyAndRecalls1764400004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lot_links (
        parent_trace_code text NOT NULL,
        child_trace_code  text NOT NULL,
        kind              text NOT NULL CHECK (kind IN ('SPLIT', 'MERGE')),
        operation_id      text NOT NULL,
        quantity          numeric NOT NULL,
        occurred_at       timestamptz NOT NULL,
        position          bigint NOT NULL,
        PRIMARY KEY (parent_trace_code, child_trace_code)
      )`);
    await q.query(`CREATE INDEX lot_links_child ON lot_links (child_trace_code)`);
    await q.query(`
      CREATE TABLE recall_lots (
        recall_id          text NOT NULL,
        trace_code         text NOT NULL,
        origin_trace_code  text NOT NULL,
        reason             text NOT NULL,
        source             text NOT NULL,
        holder_facility_id text,
        recalled_at        timestamptz NOT NULL,
        position           bigint NOT NULL,
        PRIMARY KEY (recall_id, trace_code)
      )`);
    await q.query(`
      ALTER TABLE sale_eligibility
        ADD COLUMN reason_codes       text[] NOT NULL DEFAULT '{}',
        ADD COLUMN flags              text[] NOT NULL DEFAULT '{}',
        ADD COLUMN holder_facility_id text,
        ADD COLUMN importer           text,
        ADD COLUMN origin_country     text,
        ADD COLUMN category           text,
        ADD COLUMN entered_at         timestamptz`);
    await q.query(`CREATE INDEX sale_eligibility_reason_codes ON sale_eligibility USING gin (reason_codes)`);
    await q.query(`CREATE INDEX sale_eligibility_holder ON sale_eligibility (holder_facility_id)`);
    await q.query(`CREATE INDEX sale_eligibility_importer ON sale_eligibility (importer)`);
    await q.query(`CREATE INDEX sale_eligibility_origin ON sale_eligibility (origin_country)`);
    await q.query(`CREATE INDEX sale_eligibility_entered ON sale_eligibility (entered_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sale_eligibility DROP COLUMN reason_codes, DROP COLUMN flags, DROP COLUMN holder_facility_id,
      DROP COLUMN importer, DROP COLUMN origin_country, DROP COLUMN category, DROP COLUMN entered_at`);
    await q.query(`DROP TABLE recall_lots`);
    await q.query(`DROP TABLE lot_links`);
  }
}
