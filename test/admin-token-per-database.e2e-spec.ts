import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenFileOf } from '../apps/api/src/keys/admin-token-file';
import { ApiProcess, startApiProcess } from './support/api-process';

/**
 * One DATA_DIR, several databases (issue 22): each database's first start
 * writes its own token file, never over another's, and every start says
 * where the current admin token is.
 */
describe('the first-start admin token, one per database sharing a DATA_DIR (e2e, real PostgreSQL, api processes)', () => {
  let dataDir: string;
  const started: ApiProcess[] = [];
  /** The api as `npm start` runs it: no ADMIN_TOKEN, this test's DATA_DIR. */
  const start = async (shareDatabaseOf?: ApiProcess): Promise<ApiProcess> => {
    const api = await startApiProcess({ ADMIN_TOKEN: '', DATA_DIR: dataDir }, shareDatabaseOf);
    started.push(api);
    return api;
  };
  const stop = async (api: ApiProcess): Promise<void> => {
    api.child.kill('SIGTERM');
    await api.exited;
  };
  const fileOf = (api: ApiProcess) => adminTokenFileOf(dataDir, api.databaseUrl, false);
  const tokenOf = async (api: ApiProcess) => (await readFile(fileOf(api), 'utf8')).trim();
  /** The start-up line that says where the admin token is. */
  const tokenLine = (api: ApiProcess) => api.lines.filter((l) => l.includes('admin token:'));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'coldtrace-shared-data-'));
  });

  afterAll(async () => {
    // The first process on each database drops it; the others share it.
    for (const api of started.reverse()) await api.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('A, then B, then A again: each start finds or writes its own file, says where it is, and its token works against its own database only', async () => {
    const a = await start();
    const tokenA = await tokenOf(a);
    expect(tokenLine(a)).toEqual([expect.stringContaining(fileOf(a))]);
    expect((await a.call('GET', '/api/keys', undefined, tokenA)).status).toBe(200);
    // The start-up summary: what runs where (an external database here), its address without a password, the token's file.
    const summary = a.lines.filter((l) => l.includes('ready: '));
    expect(summary).toHaveLength(1);
    const said = (JSON.parse(summary[0]) as { msg: string }).msg.split('\n');
    expect(said).toEqual([
      `ready: ${a.base}/api`,
      '  mode: external database, projections in this process',
      `  database: ${new URL(a.databaseUrl).toString().replace(/:[^:@/]*@/, '@')}`,
      '  kafka: none (no KAFKA_BROKERS)',
      `  admin token file: ${fileOf(a)}`,
    ]);
    await stop(a);

    const b = await start();
    expect(fileOf(b)).not.toBe(fileOf(a));
    const tokenB = await tokenOf(b);
    expect(tokenLine(b)).toEqual([expect.stringContaining(fileOf(b))]);
    expect((await b.call('GET', '/api/keys', undefined, tokenB)).status).toBe(200);
    expect((await b.call('GET', '/api/keys', undefined, tokenA)).status).toBe(401);
    // A's file is as A left it.
    expect(await tokenOf(a)).toBe(tokenA);
    await stop(b);

    const again = await start(a);
    expect(tokenLine(again)).toEqual([expect.stringContaining(fileOf(a))]);
    expect(await tokenOf(a)).toBe(tokenA);
    expect((await again.call('GET', '/api/keys', undefined, tokenA)).status).toBe(200);
    expect((await again.call('GET', '/api/keys', undefined, tokenB)).status).toBe(401);
    const keys = await again.call('GET', '/api/keys', undefined, tokenA);
    expect((keys.body.keys as { role: string }[]).filter((k) => k.role === 'ADMIN')).toHaveLength(1);
    await stop(again);
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.token')).sort()).toEqual([fileOf(a), fileOf(b)].map((f) => f.slice(dataDir.length + 1)).sort());
  });

  it("an admin.token an earlier version wrote: this database's keeps working; another database's is named in one line and left as it is", async () => {
    // As an earlier version left it: A's token in admin.token, no file named for A.
    const a = await start();
    const tokenA = await tokenOf(a);
    await stop(a);
    const legacy = join(dataDir, 'admin.token');
    await writeFile(legacy, `${tokenA}\n`, { mode: 0o600 });
    await rm(fileOf(a));

    const again = await start(a);
    expect(tokenLine(again)).toEqual([expect.stringContaining(legacy)]);
    expect((await again.call('GET', '/api/keys', undefined, tokenA)).status).toBe(200);
    await stop(again);

    const c = await start();
    const said = tokenLine(c);
    expect(said).toEqual([expect.stringContaining(fileOf(c))]);
    expect(said[0]).toContain("admin.token holds another database's token, left as is");
    expect((await c.call('GET', '/api/keys', undefined, await tokenOf(c))).status).toBe(200);
    expect((await readFile(legacy, 'utf8')).trim()).toBe(tokenA);
    await stop(c);
  });
});
