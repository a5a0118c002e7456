import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', 'scripts', 'demo-reset.js');

/** npm run demo:reset: the README's "start again from nothing" (no database needed: it only deletes files). */
describe('demo:reset (scripts/demo-reset.js)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'coldtrace-demo-reset-'));
    mkdirSync(join(dataDir, 'pg'));
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '18\n');
    writeFileSync(join(dataDir, 'admin.token'), 'ct_x\n');
    writeFileSync(join(dataDir, 'admin-embedded.token'), 'ct_y\n');
    writeFileSync(join(dataDir, 'admin-coldtrace-0a1b2c3d.token'), 'ct_z\n'); // a DATABASE_URL's
    writeFileSync(join(dataDir, 'event-signing.key'), 'key\n');
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
  const reset = (...args: string[]) => run(process.execPath, [SCRIPT, ...args], { env: { ...process.env, DATA_DIR: dataDir } });

  it('deletes the embedded database and its admin token, keeps the signing key and another database\'s token', async () => {
    writeFileSync(join(dataDir, 'pg', 'postmaster.pid'), '2147483646\n'); // left by a crash: no such process
    const { stdout } = await reset();
    expect(stdout).toContain('deleted');
    expect(readdirSync(dataDir).sort()).toEqual(['admin-coldtrace-0a1b2c3d.token', 'event-signing.key']);
    expect((await reset()).stdout).toContain('nothing to reset');
  });

  it('refuses in one line, deleting nothing, while the embedded PostgreSQL of that DATA_DIR runs', async () => {
    writeFileSync(join(dataDir, 'pg', 'postmaster.pid'), `${process.pid}\n`); // a live process
    const failed = await reset().then(() => undefined, (e: { code: number; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toEqual([expect.stringContaining('stop the service')]);
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION')) && existsSync(join(dataDir, 'admin.token'))).toBe(true);
  });

  it('answers --help with its usage (exit 0) and an unknown argument with exit 2, deleting nothing', async () => {
    expect((await reset('--help')).stdout).toContain('usage: npm run demo:reset');
    const failed = await reset('--all').then(() => undefined, (e: { code: number }) => e);
    expect(failed?.code).toBe(2);
    expect(readdirSync(dataDir).sort()).toEqual(['admin-coldtrace-0a1b2c3d.token', 'admin-embedded.token', 'admin.token', 'event-signing.key', 'pg']);
  });
});
