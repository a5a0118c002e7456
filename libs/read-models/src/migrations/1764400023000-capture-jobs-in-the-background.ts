import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EPCIS capture jobs that run in the background (a document of more than
 * EPCIS_CAPTURE_INLINE_EVENTS events) and outlive the api process that took
 * them: the document's events are kept (epcis_capture_job_events, one row an
 * event, read a slice at a time and dropped when the job ends), with how far
 * the job got (events_done) and a lease (lease_owner, lease_until) the
 * process running it renews; a job whose lease ran out is resumed by another
 * process (attempts counts them) or failed (failure). Jobs from before were
 * captured inside their request: done, with capture error behaviour proceed.
 */
export class CaptureJobsInTheBackground1764400023000 implements MigrationInterface {
  name = 'CaptureJobsInTheBackground1764400023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE epcis_capture_jobs
        ADD COLUMN capture_error_behaviour text NOT NULL DEFAULT 'proceed' CHECK (capture_error_behaviour IN ('proceed', 'rollback')),
        ADD COLUMN events_done integer NOT NULL DEFAULT 0,
        ADD COLUMN lease_owner text,
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN failure jsonb,
        ADD COLUMN correlation_id text,
        ADD COLUMN request_id text`);
    await q.query(`UPDATE epcis_capture_jobs SET events_done = event_count`);
    // The sweep for jobs whose process went away reads running jobs only.
    await q.query(`CREATE INDEX epcis_capture_jobs_running ON epcis_capture_jobs (lease_until) WHERE running`);
    await q.query(`
      CREATE TABLE epcis_capture_job_events (
        capture_id  uuid NOT NULL REFERENCES epcis_capture_jobs (capture_id) ON DELETE CASCADE,
        index       integer NOT NULL,
        event       jsonb NOT NULL,
        PRIMARY KEY (capture_id, index)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE epcis_capture_job_events`);
    await q.query(`DROP INDEX epcis_capture_jobs_running`);
    await q.query(`
      ALTER TABLE epcis_capture_jobs
        DROP COLUMN capture_error_behaviour, DROP COLUMN events_done, DROP COLUMN lease_owner, DROP COLUMN lease_until,
        DROP COLUMN attempts, DROP COLUMN failure, DROP COLUMN correlation_id, DROP COLUMN request_id`);
  }
}
