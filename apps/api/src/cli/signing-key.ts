import '../../../../libs/platform/src/register-aliases';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { signingKeysFromPem } from '@app/event-store';
import { newSigningKeyPem, writeNewSigningKey } from '@app/platform';
import { CliSpec, parseCli, stringOf, usageOf } from './cli-args';

export const SIGNING_KEY_CLI: CliSpec = {
  name: 'signing-key',
  summary: "make, rotate or show the event-signing key's file (EVENT_SIGNING_KEY_FILE); needs no database",
  synopsis: ['new --out FILE', 'rotate FILE', 'show FILE'],
  options: { out: { type: 'string', value: 'FILE', help: 'new: where to write the key (PEM, mode 0600); never over an existing file' } },
  notes: [
    'new     a new Ed25519 event-signing key',
    'rotate  a new key first in FILE, the public halves of the keys it held after it',
    'show    the key ids and public keys, as GET /api/audit/keys publishes them',
  ],
};
const USAGE = usageOf(SIGNING_KEY_CLI);

export interface SigningKeyCliOutcome {
  readonly exitCode: number;
  readonly stdout: string[];
  readonly stderr: string[];
}

const read = async (file: string) => signingKeysFromPem(await readFile(file, 'utf8'));

/**
 * The event-signing key's file, offline: make one (EVENT_SIGNING_KEY_FILE for
 * a deployment), rotate it, or show what it publishes. Needs no database.
 */
export const runSigningKeyCli = async (argv: readonly string[]): Promise<SigningKeyCliOutcome> => {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const parsed = parseCli(SIGNING_KEY_CLI, argv);
  if (parsed.kind === 'help') return { exitCode: 0, stdout: [USAGE], stderr };
  if (parsed.kind === 'error') return { exitCode: 2, stdout, stderr: [`signing-key: ${parsed.message}`, USAGE] };
  const [verb, ...rest] = parsed.positionals;
  const out = stringOf(parsed.values, 'out');
  try {
    if (verb === 'new' && rest.length === 0 && out) {
      const file = out;
      await writeNewSigningKey(file);
      stderr.push(`made ${file} (mode 0600): set EVENT_SIGNING_KEY_FILE=${file} for the api and the keys CLI, and keep a copy`);
      stdout.push((await read(file)).signer.signingKeyId);
      return { exitCode: 0, stdout, stderr };
    }
    if (verb === 'rotate' && rest.length === 1 && !out) {
      const [file] = rest;
      const before = await read(file);
      // The keys used before stay, as public keys only: events they signed still verify, nobody signs with them again.
      const publics = before.ring.published().map((k) => k.publicKeyPem);
      const text = `${newSigningKeyPem()}${publics.join('')}`;
      const after = signingKeysFromPem(text);
      const partial = `${file}.partial`;
      await writeFile(partial, text, { flag: 'wx', mode: 0o600 });
      try {
        await rename(partial, file);
      } catch (e) {
        await rm(partial, { force: true });
        throw e;
      }
      stderr.push(
        `rotated ${file}: key ${after.signer.signingKeyId} signs from the next start; ${before.ring.size} earlier key(s) kept for verifying (${before.ring
          .published()
          .map((k) => k.signingKeyId)
          .join(', ')}). Restart every api process with it.`,
      );
      stdout.push(after.signer.signingKeyId);
      return { exitCode: 0, stdout, stderr };
    }
    if (verb === 'show' && rest.length === 1 && !out) {
      const { signer, ring } = await read(rest[0]);
      stdout.push(JSON.stringify({ currentKeyId: signer.signingKeyId, keys: ring.published() }, null, 2));
      return { exitCode: 0, stdout, stderr };
    }
    return { exitCode: 2, stdout, stderr: [USAGE] };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { exitCode: 1, stdout, stderr: [`${(e as { path?: string }).path ?? 'the file'} exists: a signing key is never overwritten (rotate it instead)`] };
    return { exitCode: 1, stdout, stderr: [(e as Error).message] };
  }
};

if (require.main === module) {
  runSigningKeyCli(process.argv.slice(2)).then(
    (outcome) => {
      for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
      for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
      process.exitCode = outcome.exitCode;
    },
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    },
  );
}
