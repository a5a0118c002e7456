import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the regulator's dashboard counts, each a list of its own:
 *
 * - scan_refusals: scans the domain refused (SALE_BLOCKED, TRADE_BLOCKED, …),
 *   which record no event. Written by the API after the refused command's
 *   transaction (ScanRefusals), attributable to the key that sent the scan;
 *   not a projection (nothing in the log says it), so a rebuild leaves it be.
 * - lot_history_scans: the last hour's scans, by when they were recorded; a
 *   partial index (the rows a scan wrote), so other events pay nothing.
 *
 * The runtime role's rights come from the owner's default privileges
 * (1764400008000-grant-runtime-role).
 */
export class DashboardLists1764400022000 implements MigrationInterface {
  name = 'DashboardLists1764400022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scan_refusals (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        key_id      text,
        key_name    text,
        scan_id     text,
        trace_code  text,
        facility_id text,
        action      text,
        code        text NOT NULL,
        message     text NOT NULL
      )`);
    await q.query(`CREATE INDEX scan_refusals_at ON scan_refusals (at)`);
    await q.query(`CREATE INDEX scan_refusals_lot ON scan_refusals (trace_code, id)`);
    await q.query(`CREATE INDEX scan_refusals_facility ON scan_refusals (facility_id, id)`);
    await q.query(`CREATE INDEX lot_history_scans ON lot_history (recorded_at) WHERE scan_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX lot_history_scans`);
    await q.query(`DROP TABLE scan_refusals`);
  }
}
