import { QueryRunner } from 'typeorm';

/** Where a rebuild builds the new tables, beside the live ones the service keeps reading. */
export const NEXT_SCHEMA = 'read_models_next';
/** Where the replaced tables go at the swap, until they are dropped right after it. */
const OLD_SCHEMA = 'read_models_old';

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface NamedDefinition {
  readonly name: string;
  readonly definition: string;
}

/**
 * The new read-model tables of one rebuild, in NEXT_SCHEMA: the live tables'
 * columns, defaults, checks and keys, under the same names, owned by whoever
 * runs the rebuild (the schema owner) and granted what the live ones are
 * granted (the runtime role keeps its rights after the swap). Their other
 * indexes are made after the bulk load (one sort each, not one b-tree insert
 * per row), also under the live names, so later migrations find them.
 */
export class ShadowTables {
  private constructor(
    private readonly runner: QueryRunner,
    /** The schema the service reads (current_schema() of the rebuild's connection). */
    readonly live: string,
    readonly tables: readonly string[],
  ) {}

  static async prepare(runner: QueryRunner, tables: readonly string[]): Promise<ShadowTables> {
    const [{ schema }]: { schema: string }[] = await runner.query('SELECT current_schema() AS schema');
    const shadow = new ShadowTables(runner, schema, tables);
    // Left by an interrupted rebuild (a crash, a stop): built again from the start.
    await runner.query(`DROP SCHEMA IF EXISTS ${NEXT_SCHEMA} CASCADE`);
    await runner.query(`DROP SCHEMA IF EXISTS ${OLD_SCHEMA} CASCADE`);
    await runner.query(`CREATE SCHEMA ${NEXT_SCHEMA}`);
    await runner.query(`CREATE SCHEMA ${OLD_SCHEMA}`);
    for (const table of tables) {
      await runner.query(
        `CREATE TABLE ${NEXT_SCHEMA}.${ident(table)} (LIKE ${shadow.qualified(table)}
           INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION INCLUDING COMMENTS)`,
      );
      // LIKE copies no storage parameters (a fillfactor leaving rows room to be updated in place).
      const options = await shadow.options(table);
      if (options) await runner.query(`ALTER TABLE ${NEXT_SCHEMA}.${ident(table)} SET (${options})`);
      // Keys now: the projections' ON CONFLICT needs them while the rows go in.
      for (const key of await shadow.keys(table)) {
        await runner.query(`ALTER TABLE ${NEXT_SCHEMA}.${ident(table)} ADD CONSTRAINT ${ident(key.name)} ${key.definition}`);
      }
      for (const grant of await shadow.grants(table)) await runner.query(`GRANT ${grant.privilege} ON ${NEXT_SCHEMA}.${ident(table)} TO ${grant.grantee}`);
    }
    return shadow;
  }

  /** The live tables' other indexes, on the new tables (after the bulk load). */
  async index(): Promise<void> {
    for (const table of this.tables) {
      for (const index of await this.indexes(table)) {
        const on = ` ON ${this.qualified(table, false)} `;
        if (!index.definition.includes(on)) throw new Error(`index ${index.name}: cannot place it on the new ${table} (${index.definition})`);
        await this.runner.query(index.definition.replace(on, ` ON ${NEXT_SCHEMA}.${ident(table)} `));
      }
    }
  }

  /**
   * The new tables become the live ones: the old move aside, the new take
   * their place (names resolve to them in every statement that follows).
   * Runs inside the caller's swap transaction; a reader waits for its end.
   */
  async swap(): Promise<void> {
    for (const table of this.tables) {
      await this.runner.query(`ALTER TABLE ${this.qualified(table)} SET SCHEMA ${OLD_SCHEMA}`);
      await this.runner.query(`ALTER TABLE ${NEXT_SCHEMA}.${ident(table)} SET SCHEMA ${ident(this.live)}`);
    }
  }

  /** After the swap committed (or the rebuild gave up): the replaced tables, or the unfinished new ones. */
  async drop(): Promise<void> {
    await this.runner.query(`DROP SCHEMA IF EXISTS ${OLD_SCHEMA} CASCADE`);
    await this.runner.query(`DROP SCHEMA IF EXISTS ${NEXT_SCHEMA} CASCADE`);
  }

  private qualified(table: string, quoted = true): string {
    return quoted ? `${ident(this.live)}.${ident(table)}` : `${this.live}.${table}`;
  }

  private keys(table: string): Promise<NamedDefinition[]> {
    return this.runner.query(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
      [this.qualified(table)],
    );
  }

  private indexes(table: string): Promise<NamedDefinition[]> {
    return this.runner.query(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname`,
      [this.qualified(table)],
    );
  }

  /** The live table's storage parameters, as SET takes them ('fillfactor=50'), or null. */
  private async options(table: string): Promise<string | null> {
    const [{ options }]: { options: string | null }[] = await this.runner.query(
      `SELECT array_to_string(reloptions, ', ') AS options FROM pg_class WHERE oid = $1::regclass`,
      [this.qualified(table)],
    );
    return options || null;
  }

  private grants(table: string): Promise<{ privilege: string; grantee: string }[]> {
    return this.runner.query(
      `SELECT a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
         FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
      [this.qualified(table)],
    );
  }
}
