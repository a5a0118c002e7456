import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLotReadModels1764400001000 implements MigrationInterface {
  name = 'CreateLotReadModels1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lot_summary (
        stream_id          text PRIMARY KEY,
        trace_code         text NOT NULL UNIQUE,
        state              jsonb NOT NULL,
        status             text NOT NULL,
        holder_facility_id text,
        importer           text,
        origin_country     text,
        category           text,
        version            integer NOT NULL,
        position           bigint NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX lot_summary_holder ON lot_summary (holder_facility_id)`);
    await q.query(`CREATE INDEX lot_summary_status ON lot_summary (status)`);
    await q.query(`
      CREATE TABLE sale_eligibility (
        stream_id  text PRIMARY KEY,
        trace_code text NOT NULL UNIQUE,
        allowed    boolean NOT NULL,
        reasons    jsonb NOT NULL,
        lapses_at  timestamptz,
        state      jsonb NOT NULL,
        version    integer NOT NULL,
        position   bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sale_eligibility_allowed ON sale_eligibility (allowed, lapses_at)`);
    await q.query(`
      CREATE TABLE lot_history (
        trace_code     text NOT NULL,
        version        integer NOT NULL,
        position       bigint NOT NULL,
        event_id       uuid NOT NULL UNIQUE,
        type           text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at    timestamptz NOT NULL,
        recorded_at    timestamptz NOT NULL,
        facility_id    text,
        scan_id        text,
        data           jsonb NOT NULL,
        metadata       jsonb NOT NULL,
        PRIMARY KEY (trace_code, version)
      )`);
    await q.query(`CREATE INDEX lot_history_facility ON lot_history (facility_id, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lot_history`);
    await q.query(`DROP TABLE sale_eligibility`);
    await q.query(`DROP TABLE lot_summary`);
  }
}
