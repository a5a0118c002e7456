import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test as NestTest } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { Response, Test } from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import type { Role } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { EventKeys, nestLogger, newSigningKeyPem, SIGNING_KEY_FILE_NAME, type RootLogger } from '@app/platform';
import { ProjectionEngine } from '@app/read-models';
import { AppModule } from '../../apps/api/src/app.module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_OPTIONS, configureApp, httpAdapter } from '../../apps/api/src/app.setup';
import { AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { EVENT_KEYS } from '../../apps/api/src/config/config.tokens';
import { testRootLogger } from './logs';
import { recordRoutes } from './routes';
import { createTestDatabase } from './test-database';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** Like supertest's `request(server)`: one method per HTTP verb, each returning a supertest Test. */
export type Client = Record<Method, (url: string) => Test>;

export interface IssuedTestKey {
  readonly id: string;
  readonly token: string;
}

export interface TestApp {
  readonly app: INestApplication;
  /**
   * A client that authenticates each request as the role its route needs
   * (ADMIN for facilities and keys, INSPECTOR for documents, OPERATOR of every
   * facility registered so far for scans, lots, splits and merges, REGULATOR
   * for the rest), with real keys issued through POST /api/keys. For tests
   * about something other than access; access itself is tested with `as()`.
   */
  readonly http: () => Client;
  /** No Authorization header at all. */
  readonly anonymous: () => Client;
  /** Every request with this bearer token. */
  readonly as: (token: string) => Client;
  /** Tokens of keys issued when the app started. */
  readonly tokens: { readonly admin: string; readonly inspector: string; readonly regulator: string };
  /** Issues a key through POST /api/keys (as the admin). */
  readonly issueKey: (role: Role, facilityIds?: string[], name?: string) => Promise<IssuedTestKey>;
  readonly dataSource: DataSource;
  readonly store: PostgresEventStore;
  readonly projections: ProjectionEngine;
  readonly databaseUrl: string;
  readonly config: AppConfig;
  /** The key the app signs events with and the public keys it accepts (its EVENT_SIGNING_KEY_FILE). */
  readonly keys: EventKeys;
  /** That file (in DATA_DIR), for CLIs run against the same database: `EVENT_SIGNING_KEY_FILE=${signingKeyFile}`. */
  readonly signingKeyFile: string;
  close(): Promise<void>;
}

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete', 'options'];

/** Which role the auto-authenticating client uses for a route (null: send no token). */
const roleFor = (method: Method, url: string): Role | null => {
  const path = url.split('?')[0];
  if (!path.startsWith('/api/') || path.startsWith('/api/public/') || path === '/api/health' || path.startsWith('/api/health/')) return null;
  if (path.startsWith('/api/keys') || (method === 'post' && path === '/api/facilities')) return 'ADMIN';
  if (method === 'post' && /^\/api\/lots\/[^/]+\/documents$/.test(path)) return 'INSPECTOR';
  if (method === 'post' && (path.startsWith('/api/scans') || path === '/api/sightings' || path === '/api/epcis/capture' || path === '/api/lots' || path === '/api/lots/merges' || /^\/api\/lots\/[^/]+\/(splits|temperatures)$/.test(path))) {
    return 'OPERATOR';
  }
  return 'REGULATOR';
};

/**
 * Sets the Authorization header just before the request goes out (the token
 * may need a key issued first), and runs `after` on the response before the
 * test sees it.
 */
const withToken = (test: Test, token: () => Promise<string | null>, after: (res: Response) => Promise<void> = async () => undefined): Test => {
  const then = test.then.bind(test);
  test.then = ((onFulfilled, onRejected) =>
    token()
      .then((t) => {
        if (t && !test.get('authorization')) test.set('authorization', `Bearer ${t}`);
        return then((res) => after(res).then(() => res));
      })
      .then(onFulfilled, onRejected)) as Test['then'];
  return test;
};

/** One ADMIN_TOKEN per test file, so a second app on the same database accepts it too. */
const FILE_ADMIN_TOKEN = `test-admin-${randomBytes(24).toString('hex')}`;
/** One event-signing key per test file, for the same reason: every process of a deployment signs with the one key. */
const FILE_SIGNING_KEY = newSigningKeyPem();

/**
 * The real API on its own fresh PostgreSQL database, migrations run,
 * in-process projections on, ADMIN_TOKEN set, and DATA_DIR a fresh temporary
 * folder. `overrides.adminToken: null` starts it as a fresh `npm start` would
 * (no ADMIN_TOKEN: the first start writes DATA_DIR/admin.token).
 */
export const createTestApp = async (
  overrides: Partial<AppConfig> = {},
  shareDatabaseOf?: TestApp,
  /**
   * `log`: where the app logs (captureLogs() to read the lines back); default: warnings and errors on stdout.
   * `via`: the URL the app reaches its database by (a proxy the test can cut); `databaseUrl` stays the direct one.
   */
  options: { log?: RootLogger; via?: (databaseUrl: string) => string } = {},
): Promise<TestApp> => {
  // A second app on the same database plays a second process (its own pool, command queues and projections).
  const db = shareDatabaseOf ? { url: shareDatabaseOf.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'coldtrace-test-data-'));
  // As a deployment provisions it (EVENT_SIGNING_KEY_FILE, mode 0600); `overrides.eventSigningKey` may name another.
  const signingKeyFile = join(dataDir, SIGNING_KEY_FILE_NAME);
  await writeFile(signingKeyFile, FILE_SIGNING_KEY, { mode: 0o600 });
  const appUrl = options.via ? options.via(db.url) : db.url;
  const config: AppConfig = {
    ...loadConfig({}),
    readWaitTimeoutMs: 10_000,
    projectionPollMs: 50,
    adminToken: FILE_ADMIN_TOKEN,
    dataDir,
    eventSigningKey: { file: signingKeyFile, generate: false },
    ...overrides,
    databaseUrl: appUrl,
  };
  const log = options.log ?? testRootLogger('api');
  const moduleRef = await NestTest.createTestingModule({ imports: [AppModule.forRoot({ ...config, databaseUrl: appUrl, log })] }).compile();
  const app = configureApp(moduleRef.createNestApplication<NestFastifyApplication>(httpAdapter(config), { ...APP_OPTIONS, logger: nestLogger(log) }), config);
  recordRoutes(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const server = app.getHttpServer() as App;
  const dataSource = app.get<DataSource>(getDataSourceToken());

  const client = (token: (method: Method, url: string) => Promise<string | null>, after?: (method: Method, url: string, res: Response) => Promise<void>): Client =>
    Object.fromEntries(
      METHODS.map((m) => [m, (url: string) => withToken(request(server)[m](url), () => token(m, url), after && ((res) => after(m, url, res)))]),
    ) as Client;
  const anonymous = () => Object.fromEntries(METHODS.map((m) => [m, (url: string) => request(server)[m](url)])) as Client;
  const as = (token: string) => client(async () => token);

  const adminToken = config.adminToken ?? '';
  const issueKey = async (role: Role, facilityIds?: string[], name = `test-${role.toLowerCase()}`): Promise<IssuedTestKey> => {
    if (!adminToken) throw new Error('issueKey needs the app started with an ADMIN_TOKEN');
    const res = await as(adminToken)
      .post('/api/keys')
      .send({ name, role, ...(facilityIds ? { facilityIds } : {}) });
    if (res.status !== 201) throw new Error(`issuing a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, token: res.body.token as string };
  };

  const tokens = adminToken
    ? { admin: adminToken, inspector: (await issueKey('INSPECTOR')).token, regulator: (await issueKey('REGULATOR')).token }
    : { admin: '', inspector: '', regulator: '' };

  // An operator of every facility registered so far; reissued when new facilities appear.
  let operator: { facilities: string; token: string } | null = null;
  let operatorPending: Promise<string> | null = null;
  const operatorToken = async (): Promise<string> => {
    const rows: { stream_id: string }[] = await dataSource.query(`SELECT stream_id FROM event_streams WHERE stream_type = 'facility' ORDER BY stream_id`);
    const ids = rows.map((r) => r.stream_id.slice('facility-'.length));
    const key = ids.join(',');
    if (operator?.facilities === key) return operator.token;
    if (ids.length === 0) return '';
    operatorPending ??= issueKey('OPERATOR', ids, 'test-operator')
      .then((k) => {
        operator = { facilities: key, token: k.token };
        return k.token;
      })
      .finally(() => (operatorPending = null));
    return operatorPending;
  };
  const http = () =>
    client(
      async (method, url) => {
        const role = roleFor(method, url);
        if (role === null) return null;
        if (role === 'OPERATOR') return operatorToken();
        return { ADMIN: tokens.admin, INSPECTOR: tokens.inspector, REGULATOR: tokens.regulator }[role];
      },
      // A new facility gets its operator key now, so no later request of the test writes a key event first.
      async (method, url, res) => {
        if (method === 'post' && url === '/api/facilities' && res.status === 201) await operatorToken();
      },
    );

  return {
    app,
    http,
    anonymous,
    as,
    tokens,
    issueKey,
    dataSource,
    store: app.get(PostgresEventStore),
    projections: app.get(ProjectionEngine),
    databaseUrl: db.url,
    config,
    keys: app.get<EventKeys>(EVENT_KEYS),
    signingKeyFile: config.eventSigningKey.file,
    close: async () => {
      await app.close();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
};
