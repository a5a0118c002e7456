import { DataSourceOptions } from 'typeorm';
import { EVENT_STORE_ENTITIES, EVENT_STORE_MIGRATIONS } from '@app/event-store';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@app/read-models';
import { GrantRuntimeRole1764400008000 } from './migrations/1764400008000-grant-runtime-role';
import { GrantRuntimeSignatures1764400018000 } from './migrations/1764400018000-grant-runtime-signatures';

/**
 * How long a caller waits on the database before giving up, so a stuck
 * server fails requests fast (503) instead of hanging them all. 0 = no limit.
 */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection, or for a new one to open (DB_POOL_ACQUIRE_TIMEOUT_MS). */
  readonly poolAcquireTimeoutMs: number;
  /** One statement, lock waits included, enforced by the server (DB_STATEMENT_TIMEOUT_MS). */
  readonly statementTimeoutMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { poolAcquireTimeoutMs: 5000, statementTimeoutMs: 10_000 };

/**
 * One schema, changed only by migrations (never synchronize).
 *
 * No separate lock_timeout: statement_timeout already bounds lock waits, and a
 * shorter one would turn ordinary contention between commands into errors.
 * No idle_in_transaction_session_timeout: the outbox relay legitimately waits
 * up to 30 s for Kafka inside its batch transaction, and a session the server
 * ends while checked out surfaces as an unhandled pg client error.
 */
export const dataSourceOptions = (url: string, timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS): DataSourceOptions => ({
  type: 'postgres',
  url,
  entities: [...EVENT_STORE_ENTITIES, ...READ_MODEL_ENTITIES],
  migrations: [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS, GrantRuntimeRole1764400008000, GrantRuntimeSignatures1764400018000],
  migrationsTableName: 'schema_migrations',
  migrationsTransactionMode: 'each',
  synchronize: false,
  extra: {
    max: 20,
    connectionTimeoutMillis: timeouts.poolAcquireTimeoutMs,
    // Sent in the startup packet, so every pooled session has it; pg leaves 0 unset (= the server's default).
    statement_timeout: timeouts.statementTimeoutMs,
  },
});

/** A URL safe to print: without its password. */
export const describeDatabase = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
};
