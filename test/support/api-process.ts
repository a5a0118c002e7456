import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSigningKeyPem } from '@app/platform';
import { createTestDatabase } from './test-database';
import { waitFor } from './wait-for';
import { freePort } from './free-port';

const API = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { readonly [key: string]: unknown };
}

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly databaseUrl: string;
  readonly adminToken: string;
  /** Its EVENT_SIGNING_KEY_FILE: a second process of the same deployment signs with the same key. */
  readonly signingKeyFile: string;
  /** Every line it wrote (stdout and stderr), as written. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** A request with a JSON body (an object, or text sent as it is), as `token` (the admin by default). */
  call(method: string, path: string, body?: unknown, token?: string): Promise<ApiAnswer>;
  /** SIGKILL if still running, then its database and data folder go. */
  dispose(): Promise<void>;
}

/**
 * The api as `npm start` runs it (dist/, built by the e2e global setup): a
 * real OS process on its own fresh database, in embedded-projection mode,
 * its log lines kept rather than printed. For what only a process shows:
 * signals, and how long it takes to answer while busy (no test client
 * sharing its event loop).
 */
export const startApiProcess = async (env: NodeJS.ProcessEnv = {}, shareDatabaseOf?: ApiProcess): Promise<ApiProcess> => {
  // Another process of the same deployment: its database, admin token and signing key; the database stays when it goes.
  const database = shareDatabaseOf ? { url: shareDatabaseOf.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'coldtrace-test-data-'));
  const port = await freePort();
  const adminToken = shareDatabaseOf?.adminToken ?? `test-admin-${randomBytes(24).toString('hex')}`;
  // With DATABASE_URL the api needs a provisioned event-signing key, as a deployment does.
  const signingKeyFile = shareDatabaseOf?.signingKeyFile ?? join(dataDir, 'event-signing.key');
  if (!shareDatabaseOf) await writeFile(signingKeyFile, newSigningKeyPem(), { mode: 0o600 });
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN: adminToken,
    DATA_DIR: dataDir,
    EVENT_SIGNING_KEY_FILE: signingKeyFile,
    LOG_LEVEL: 'log',
    ...env,
  };
  // Embedded mode: no broker, whatever the test run uses.
  delete childEnv.KAFKA_BROKERS;
  const child = spawn(process.execPath, [API], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown, token = adminToken): Promise<ApiAnswer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as ApiAnswer['body']) : {} };
  };
  const dispose = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      waitFor('the api to answer', async () => (await call('GET', '/api/health/live')).status === 200, 120_000, 200),
      exited.then(({ code }) => {
        throw new Error(`the api exited with ${code} before it answered:\n${lines.join('\n')}`);
      }),
    ]);
  } catch (e) {
    await dispose();
    throw e;
  }
  return { child, port, base, databaseUrl: database.url, adminToken, signingKeyFile, lines, exited, call, dispose };
};
