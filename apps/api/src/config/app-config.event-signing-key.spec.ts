import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { newSigningKeyPem, openSigningKeys } from '@app/platform';
import { loadConfig } from './app-config';

describe('EVENT_SIGNING_KEY_FILE', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coldtrace-signing-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is required with DATABASE_URL: the start stops, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://app@db/coldtrace' })).toThrow(/^EVENT_SIGNING_KEY_FILE must be set when DATABASE_URL is/);
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db/coldtrace', EVENT_SIGNING_KEY_FILE: 'keys/signing.pem' }).eventSigningKey).toEqual({
      file: resolve('keys/signing.pem'),
      generate: false,
    });
  });

  it('defaults, on the embedded database only, to DATA_DIR/event-signing.key, made on first start (mode 0600) and read as is after', async () => {
    const settings = loadConfig({ DATA_DIR: dir }).eventSigningKey;
    expect(settings).toEqual({ file: join(dir, 'event-signing.key'), generate: true });
    const made = await openSigningKeys(settings);
    expect((await stat(settings.file)).mode & 0o777).toBe(0o600);
    const again = await openSigningKeys(settings);
    expect(again.signer.signingKeyId).toBe(made.signer.signingKeyId);
    expect(await readFile(settings.file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('a named file must exist and hold an Ed25519 private key first; errors name the variable and the path', async () => {
    const file = join(dir, 'missing.pem');
    await expect(openSigningKeys({ file, generate: false })).rejects.toThrow(`EVENT_SIGNING_KEY_FILE (${file}) does not exist`);
    await writeFile(file, 'not a key');
    await expect(openSigningKeys({ file, generate: false })).rejects.toThrow(`EVENT_SIGNING_KEY_FILE (${file}): it holds no PEM key`);
    const keys = await openSigningKeys({ file: await written(dir, newSigningKeyPem()), generate: false });
    expect(keys.ring.has(keys.signer.signingKeyId)).toBe(true);
  });

  it('warns when others may read it', async () => {
    const file = await written(dir, newSigningKeyPem());
    await chmod(file, 0o644);
    const warn = jest.fn();
    await openSigningKeys({ file, generate: false }, { log: () => undefined, warn });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('is readable by others (mode 644): chmod 600 it'));
  });
});

const written = async (dir: string, pem: string): Promise<string> => {
  const file = join(dir, `key-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(file, pem, { mode: 0o600 });
  return file;
};
