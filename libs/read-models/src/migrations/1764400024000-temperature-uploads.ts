import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Temperature logs: one row per upload (a TemperaturesRecorded event names
 * it by upload_id), its readings as parallel arrays, only those the lot's log
 * did not hold yet. Part of the record, not a projection: written by the
 * command in the transaction that appends its event, never rebuilt, never
 * changed; the runtime role may insert and read it only. Its event's
 * `readingsSha256` digests the row's readings as read back, so `celsius`
 * must give back exactly the number written: real (float4) does for every
 * value an upload may hold (-80 to 60, at most 2 decimals: at most 4
 * significant digits, float4 keeps 6, and PostgreSQL prints the shortest
 * text that reads back as the same float4), at half numeric's size.
 */
export class TemperatureUploads1764400024000 implements MigrationInterface {
  name = 'TemperatureUploads1764400024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE temperature_uploads (
        upload_id   uuid PRIMARY KEY,
        trace_code  text NOT NULL,
        device_id   text NOT NULL,
        facility_id text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        at          timestamptz[] NOT NULL,
        celsius     real[] NOT NULL,
        CHECK (cardinality(at) = cardinality(celsius) AND cardinality(at) > 0)
      )`);
    await q.query(`CREATE INDEX temperature_uploads_lot ON temperature_uploads (trace_code)`);
    await q.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'coldtrace_runtime') THEN
          REVOKE UPDATE, DELETE, TRUNCATE ON temperature_uploads FROM coldtrace_runtime;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE temperature_uploads`);
  }
}
