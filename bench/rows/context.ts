import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../../test/support/test-database';
import { uid } from '../support/network';
import { ApiProcess, startApi } from '../support/processes';
import { Table } from '../support/table';

/** What every row of one run shares: the table, the admin token of its apis, and what to clean up at the end. */
export class BenchRun {
  readonly table = new Table();
  readonly adminToken = `bench-admin-${randomBytes(24).toString('hex')}`;
  /** Unique per run: trace codes, scan ids. */
  readonly id = uid();
  readonly scratch = mkdtempSync(join(tmpdir(), 'coldtrace-bench-'));
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  /** Run at the end, the last registered first (apis stop before their databases are dropped). */
  onCleanup(f: () => Promise<unknown>): void {
    this.cleanups.unshift(f);
  }

  async cleanUp(): Promise<void> {
    for (const c of this.cleanups) await c().catch((e: Error) => this.table.note(`cleanup failed: ${e.message}`));
  }

  /** A fresh database, dropped at the end of the run. */
  async database(): Promise<string> {
    const db = await createTestDatabase();
    this.onCleanup(db.drop);
    return db.url;
  }

  /** The api on `databaseUrl`, stopped at the end of the run (or earlier by the caller). */
  async api(databaseUrl: string): Promise<ApiProcess> {
    const api = await startApi(databaseUrl, this.adminToken);
    this.onCleanup(() => api.stop());
    return api;
  }
}
