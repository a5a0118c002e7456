import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EventKeyRing, EventSigner, signingKeysFromPem } from '@app/event-store';

/** Where the event-signing key lives, and whether a missing one may be made (the embedded database's default only). */
export interface SigningKeySettings {
  readonly file: string;
  readonly generate: boolean;
}

/** The key a process signs events with, and every public key it accepts on events (rotated-out ones too). */
export interface EventKeys {
  readonly signer: EventSigner;
  readonly ring: EventKeyRing;
}

export const SIGNING_KEY_FILE_NAME = 'event-signing.key';

/**
 * EVENT_SIGNING_KEY_FILE, else (embedded database only) DATA_DIR/event-signing.key,
 * made on first start beside admin.token. With DATABASE_URL and no key file the
 * start stops here: a deployment signs with a key it provisioned and keeps,
 * never one a process invented on a disk nobody backs up.
 */
export const envEventSigningKey = (env: NodeJS.ProcessEnv): SigningKeySettings => {
  if (env.EVENT_SIGNING_KEY_FILE) return { file: resolve(env.EVENT_SIGNING_KEY_FILE), generate: false };
  if (env.DATABASE_URL) {
    throw new Error(
      'EVENT_SIGNING_KEY_FILE must be set when DATABASE_URL is: every event is signed with that Ed25519 key, kept outside the database ' +
        '(make one with `npm run signing-key -- new --out FILE` or `openssl genpkey -algorithm ed25519 -out FILE`); only the embedded database makes its own',
    );
  }
  return { file: join(resolve(env.DATA_DIR || './.coldtrace'), SIGNING_KEY_FILE_NAME), generate: true };
};

/** A new Ed25519 private key as PKCS#8 PEM. */
export const newSigningKeyPem = (): string => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Writes a new key to `file` (mode 0600); never overwrites one (EEXIST). */
export const writeNewSigningKey = async (file: string): Promise<void> => {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, newSigningKeyPem(), { flag: 'wx', mode: 0o600 });
};

interface KeyLogger {
  log(message: string): void;
  warn(message: string): void;
}

/**
 * Reads the key file; errors name EVENT_SIGNING_KEY_FILE and the path. A
 * missing file is made only when `generate` (the embedded default); two
 * processes making it at once end up with one (the loser reads the winner's).
 */
export const openSigningKeys = async (settings: SigningKeySettings, logger?: KeyLogger): Promise<EventKeys> => {
  const where = `EVENT_SIGNING_KEY_FILE (${settings.file})`;
  let text: string;
  try {
    text = await readFile(settings.file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${where} cannot be read: ${(e as Error).message}`);
    if (!settings.generate) {
      throw new Error(`${where} does not exist: make one with \`npm run signing-key -- new --out ${settings.file}\` (and keep a copy: events it signs verify only with it)`);
    }
    try {
      await writeNewSigningKey(settings.file);
    } catch (made) {
      if ((made as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`${where} could not be made: ${(made as Error).message}`);
    }
    text = await readFile(settings.file, 'utf8');
    logger?.log(`no event-signing key existed: made one in ${settings.file} (mode 0600); keep a copy with the data`);
  }
  let keys: EventKeys;
  try {
    keys = signingKeysFromPem(text);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  const { mode } = await stat(settings.file);
  if (mode & 0o077) logger?.warn(`${where} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  logger?.log(`signing events with key ${keys.signer.signingKeyId}; ${keys.ring.size} public key(s) accepted`);
  return keys;
};
