import { resolve } from 'node:path';

/** Everything the service reads from its environment, parsed once at start-up. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** null = start an embedded PostgreSQL under dataDir. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
  /** How long `?atLeast=` waits for a read model before answering 503. */
  readonly readWaitTimeoutMs: number;
  /** Idle poll of the in-process projections (they are also woken by every local append). */
  readonly projectionPollMs: number;
  /** Run the in-process projections (embedded mode). */
  readonly runProjections: boolean;
  readonly logLevels: LogLevel[];
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL=warn keeps fatal, error and warn; and so on down the list. */
const logLevels = (raw: string | undefined): LogLevel[] => {
  const level = (raw || 'log') as LogLevel;
  const i = LOG_LEVELS.indexOf(level);
  if (i < 0) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return LOG_LEVELS.slice(0, i + 1);
};

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
};

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => ({
  port: int(env, 'PORT', 3000, 0),
  host: env.HOST || '0.0.0.0',
  databaseUrl: env.DATABASE_URL || null,
  dataDir: resolve(env.DATA_DIR || './.coldtrace'),
  embeddedPostgresPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1),
  readWaitTimeoutMs: int(env, 'READ_WAIT_TIMEOUT_MS', 5000, 0),
  projectionPollMs: int(env, 'PROJECTION_POLL_MS', 500, 10),
  runProjections: true,
  logLevels: logLevels(env.LOG_LEVEL),
});
