import { MigrationInterface, QueryRunner } from 'typeorm';

/** The JSON columns of the rows rewritten at every event of their lot. */
const COLUMNS: Record<string, readonly string[]> = {
  lot_summary: ['lot', 'facts'],
  sale_eligibility: ['reasons', 'facts', 'flag_list'],
};

/**
 * A lot_summary row (~3 kB with its record and facts) is past the size at
 * which PostgreSQL compresses a row's largest values, so each of its
 * rewrites compressed both JSON columns again with pglz: ~20% of
 * PostgreSQL's time writing the rows of a recall's 10,000 lots. lz4 does it
 * in a fraction of that for about the same size. A server built without
 * lz4 keeps pglz. Values already stored stay as they are until rewritten; a
 * rebuild's new tables take the columns' compression (ShadowTables).
 */
export class LotRowsFastCompression1764400021000 implements MigrationInterface {
  name = 'LotRowsFastCompression1764400021000';

  async up(q: QueryRunner): Promise<void> {
    const [{ lz4 }]: { lz4: boolean }[] = await q.query(`SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    if (!lz4) return;
    for (const [table, columns] of Object.entries(COLUMNS)) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} SET COMPRESSION lz4`).join(', ')}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, columns] of Object.entries(COLUMNS)) {
      await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ALTER COLUMN ${c} SET COMPRESSION default`).join(', ')}`);
    }
  }
}
