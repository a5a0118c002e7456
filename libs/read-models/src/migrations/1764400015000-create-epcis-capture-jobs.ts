import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EPCIS capture jobs (POST /api/epcis/capture): what each capture did with
 * each event, kept so the job can be read back from any api process by the
 * key that captured (key_id). Not a projection and not in a backup: the scans
 * a capture recorded are events, and these rows only report on them. The
 * runtime role gets its rights through the default privileges the owner
 * granted (1764400008000-grant-runtime-role).
 */
export class CreateEpcisCaptureJobs1764400015000 implements MigrationInterface {
  name = 'CreateEpcisCaptureJobs1764400015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE epcis_capture_jobs (
        capture_id   uuid PRIMARY KEY,
        key_id       text NOT NULL,
        created_at   timestamptz NOT NULL,
        finished_at  timestamptz,
        running      boolean NOT NULL,
        success      boolean,
        event_count  integer NOT NULL,
        position     bigint NOT NULL,
        errors       jsonb NOT NULL DEFAULT '[]'::jsonb
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE epcis_capture_jobs`);
  }
}
