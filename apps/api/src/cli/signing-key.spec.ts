import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyRingFromText, signingKeysFromPem } from '@app/event-store';
import { runSigningKeyCli } from './signing-key';

describe('npm run signing-key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coldtrace-signing-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes a key (mode 0600) and never overwrites one', async () => {
    const file = join(dir, 'event-signing.key');
    const made = await runSigningKeyCli(['new', '--out', file]);
    expect(made.exitCode).toBe(0);
    expect(made.stdout).toEqual([signingKeysFromPem(await readFile(file, 'utf8')).signer.signingKeyId]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await runSigningKeyCli(['new', '--out', file]);
    expect(again).toMatchObject({ exitCode: 1, stderr: [`${file} exists: a signing key is never overwritten (rotate it instead)`] });
  });

  it('rotates: a new private key first, every key used before kept as a public key; show prints what the api publishes', async () => {
    const file = join(dir, 'event-signing.key');
    const first = (await runSigningKeyCli(['new', '--out', file])).stdout[0];
    const second = (await runSigningKeyCli(['rotate', file])).stdout[0];
    const third = (await runSigningKeyCli(['rotate', file])).stdout[0];
    const text = await readFile(file, 'utf8');
    expect(text.match(/BEGIN PRIVATE KEY/g)).toHaveLength(1);
    expect(text.match(/BEGIN PUBLIC KEY/g)).toHaveLength(2);
    const keys = signingKeysFromPem(text);
    expect(keys.signer.signingKeyId).toBe(third);
    expect([first, second, third].every((id) => keys.ring.has(id))).toBe(true);
    const shown = await runSigningKeyCli(['show', file]);
    expect(JSON.parse(shown.stdout[0])).toMatchObject({ currentKeyId: third, keys: [{ signingKeyId: third, current: true }, {}, {}] });
    // What a regulator pins from it reads back as a ring.
    expect(keyRingFromText(shown.stdout[0]).size).toBe(3);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses what it cannot do', async () => {
    expect((await runSigningKeyCli(['rotate', join(dir, 'none')])).exitCode).toBe(1);
    expect((await runSigningKeyCli(['frobnicate'])).exitCode).toBe(2);
    expect((await runSigningKeyCli(['new'])).exitCode).toBe(2);
  });
});
