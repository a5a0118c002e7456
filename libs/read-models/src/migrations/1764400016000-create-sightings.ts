import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sightings (POST /api/sightings): lots reported where they were not sent,
 * for regulators to list by lot or facility, newest first. Written inline
 * from the LotSighted events (SightingsProjection) and rebuilt with the
 * other read models; the runtime role's rights come from the owner's default
 * privileges (1764400008000-grant-runtime-role).
 */
export class CreateSightings1764400016000 implements MigrationInterface {
  name = 'CreateSightings1764400016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sightings (
        sighting_id   text PRIMARY KEY,
        trace_code    text NOT NULL,
        facility_id   text NOT NULL,
        facility_type text NOT NULL,
        occurred_at   timestamptz NOT NULL,
        note          text NOT NULL,
        reported_at   timestamptz NOT NULL,
        reported_by   jsonb,
        position      bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX sightings_by_position ON sightings (position)`);
    await q.query(`CREATE INDEX sightings_by_lot ON sightings (trace_code, position)`);
    await q.query(`CREATE INDEX sightings_by_facility ON sightings (facility_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sightings`);
  }
}
