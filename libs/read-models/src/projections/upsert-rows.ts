import { EntityManager } from 'typeorm';

/** Rows per statement: one JSON parameter each, a few MB at most. */
const CHUNK = 1_000;

/**
 * Writes many rows with one statement per chunk (set-based, not one round
 * trip per row): each row replaces the one with its key, unless that one
 * has a `newer` column as high already (a redelivery writes nothing).
 * `columns` maps each column to its PostgreSQL type; `updated_at` is set to now().
 */
export const upsertRows = async (
  manager: EntityManager,
  table: string,
  key: string,
  columns: Readonly<Record<string, string>>,
  rows: readonly Record<string, unknown>[],
  newer: string,
): Promise<void> => {
  const names = Object.keys(columns);
  const list = names.join(', ');
  const types = names.map((n) => `${n} ${columns[n]}`).join(', ');
  const updates = names.filter((n) => n !== key).map((n) => `${n} = EXCLUDED.${n}`);
  for (let i = 0; i < rows.length; i += CHUNK) {
    await manager.query(
      `INSERT INTO ${table} (${list}, updated_at)
       SELECT ${list}, now() FROM jsonb_to_recordset($1::jsonb) AS r(${types})
       ON CONFLICT (${key}) DO UPDATE SET ${[...updates, 'updated_at = now()'].join(', ')} WHERE ${table}.${newer} < EXCLUDED.${newer}`,
      [JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
};
