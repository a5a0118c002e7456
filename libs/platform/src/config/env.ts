import { resolve } from 'node:path';
import { DEFAULT_DATABASE_TIMEOUTS } from '../database/data-source-options';

/**
 * A setting the service cannot start with. Its message is the whole story
 * (it names the variable, what it takes and what it got): start-up prints it
 * as one line, without a stack trace nobody needs for a typo.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const envInt = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
};

export const envNumber = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number, got "${raw}"`);
  return n;
};

export type LogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL=warn keeps fatal, error and warn; and so on down the list. */
export const envLogLevels = (env: NodeJS.ProcessEnv): LogLevel[] => {
  const raw = env.LOG_LEVEL;
  const i = LOG_LEVELS.indexOf((raw || 'log') as LogLevel);
  if (i < 0) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return LOG_LEVELS.slice(0, i + 1);
};

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT=pretty formats log lines for a terminal, json makes JSON lines;
 * unset, pretty when the lines go to a `terminal` (a TTY), JSON otherwise.
 */
export const envLogFormat = (env: NodeJS.ProcessEnv, terminal = false): LogFormat => {
  const raw = env.LOG_FORMAT || (terminal ? 'pretty' : 'json');
  if (raw !== 'json' && raw !== 'pretty') throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${raw}"`);
  return raw;
};

/** The database settings both processes read: DATABASE_URL, else an embedded PostgreSQL under DATA_DIR; and how long to wait on it. */
export const envDatabase = (env: NodeJS.ProcessEnv) => ({
  databaseUrl: env.DATABASE_URL || null,
  migrationsDatabaseUrl: env.MIGRATIONS_DATABASE_URL || null,
  dataDir: resolve(env.DATA_DIR || './.coldtrace'),
  embeddedPostgresPort: envInt(env, 'EMBEDDED_PG_PORT', 54329, 1),
  poolAcquireTimeoutMs: envInt(env, 'DB_POOL_ACQUIRE_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.poolAcquireTimeoutMs, 0),
  statementTimeoutMs: envInt(env, 'DB_STATEMENT_TIMEOUT_MS', DEFAULT_DATABASE_TIMEOUTS.statementTimeoutMs, 0),
});
