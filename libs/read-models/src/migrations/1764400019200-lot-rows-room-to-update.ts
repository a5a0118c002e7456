import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * lot_summary and sale_eligibility rows (about 1.7 kB, four to a full page)
 * are rewritten at every event of their lot. With full pages the new version
 * never fitted beside the old one: each update went to another page and into
 * every index (eight on sale_eligibility, three of them GIN), and the tables
 * grew by a page every few updates (2,500 pages for 400 lots after 10,000
 * scans). Half of each page left free lets an update stay on its page (HOT:
 * no index entries; the old version is pruned on a later visit): 91% of the
 * updates in the single-scan bench, PostgreSQL CPU per scan 0.35 -> 0.28 ms.
 * Existing pages are left as they are; rows move to roomier pages as they are
 * rewritten, and a rebuild's new tables get the same setting (ShadowTables).
 */
export class LotRowsRoomToUpdate1764400019200 implements MigrationInterface {
  name = 'LotRowsRoomToUpdate1764400019200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lot_summary SET (fillfactor = 50)`);
    await q.query(`ALTER TABLE sale_eligibility SET (fillfactor = 50)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sale_eligibility RESET (fillfactor)`);
    await q.query(`ALTER TABLE lot_summary RESET (fillfactor)`);
  }
}
