import { DataSource } from 'typeorm';
import { upsertRows } from '../libs/read-models/src/projections/upsert-rows';
import { createTestDatabase } from './support/test-database';

const COLUMNS = {
  id: 'text',
  version: 'integer',
  position: 'bigint',
  allowed: 'boolean',
  at: 'timestamptz',
  name: 'text',
  tags: 'text[]',
  doc: 'jsonb',
};

/** What jsonb_to_recordset made of the rows as one JSON array: upsertRows must store exactly that. */
const reference = (table: string) => `INSERT INTO ${table} (id, version, position, allowed, at, name, tags, doc)
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, version integer, position bigint, allowed boolean, at timestamptz, name text, tags text[], doc jsonb)
  ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, position = EXCLUDED.position, allowed = EXCLUDED.allowed, at = EXCLUDED.at,
    name = EXCLUDED.name, tags = EXCLUDED.tags, doc = EXCLUDED.doc WHERE ${table}.version < EXCLUDED.version`;

describe('upsertRows (e2e, real PostgreSQL)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    for (const table of ['written', 'expected']) {
      await ds.query(`CREATE TABLE ${table} (id text PRIMARY KEY, version integer, position bigint, allowed boolean, at timestamptz, name text,
        tags text[], doc jsonb, updated_at timestamptz)`);
    }
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('stores every value as the rows written as one JSON array for jsonb_to_recordset would: quotes, backslashes, newlines, nulls, dates', async () => {
    const odd = 'a "quoted", \\back\\slashed {braced} NULL\nline\r\ttab \u2028 é 🐟';
    const rows: Record<string, unknown>[] = [
      { id: 'plain', version: 1, position: 10, allowed: true, at: '2026-12-07T10:00:00.123Z', name: 'x', tags: ['a', 'b'], doc: { a: 1, b: [1, null, 'z'] } },
      { id: odd, version: 2, position: 9007199254740991, allowed: false, at: new Date('2026-12-07T10:00:00.456Z'), name: odd, tags: [odd, null, '', 'NULL'], doc: { text: odd, nested: { n: null } } },
      { id: 'nulls', version: 3, position: null, allowed: null, at: null, name: null, tags: null, doc: null },
      { id: 'missing', version: 4 },
      { id: 'empties', version: 5, position: 0, allowed: false, at: '2026-12-07T10:00:00Z', name: '', tags: [], doc: {} },
      { id: 'json scalars', version: 6, name: 'NULL', tags: ['NULL', '{}', ','], doc: 'a string' },
      { id: 'not finite', version: 7, position: Number.NaN, doc: [1, 'two', { three: 3 }] },
    ];
    await upsertRows(ds.manager, 'written', 'id', COLUMNS, rows, 'version');
    await ds.query(reference('expected'), [JSON.stringify(rows)]);
    // A later version replaces a row, an older one does not.
    const again = [{ ...rows[0], version: 9, name: 'newer', tags: ['c'] }, { ...rows[1], version: 1, name: 'older' }];
    await upsertRows(ds.manager, 'written', 'id', COLUMNS, again, 'version');
    await ds.query(reference('expected'), [JSON.stringify(again)]);
    const read = (table: string) => ds.query(`SELECT id, version, position, allowed, at, name, tags, doc FROM ${table} ORDER BY id`);
    const written = await read('written');
    expect(written).toEqual(await read('expected'));
    expect(written).toHaveLength(rows.length);
    expect(written.find((r: { id: string }) => r.id === odd)).toMatchObject({ name: odd, tags: [odd, null, '', 'NULL'], doc: { text: odd } });
  });
});
