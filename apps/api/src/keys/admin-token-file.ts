import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The embedded database's file: the name every earlier version wrote, whatever the database. */
export const ADMIN_TOKEN_FILE = 'admin.token';

/**
 * Which database a token file belongs to: `embedded`, or DATABASE_URL's
 * host, port and database name (no user, no password: the same database
 * reached as another role is the same database).
 */
export const databaseIdentity = (databaseUrl: string | null, embedded: boolean): string => {
  if (embedded || databaseUrl === null) return 'embedded';
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}/${decodeURIComponent(url.pathname.replace(/^\//, ''))}`;
  } catch {
    // Not a URL (a libpq key=value string): the whole of it, its password dropped, names the database.
    return databaseUrl.replace(/password=\S*/gi, '');
  }
};

/**
 * Where this database's first-start admin token goes: DATA_DIR/admin.token
 * for the embedded database (it lives in DATA_DIR too), else
 * DATA_DIR/admin-<database name>-<8 hex of its identity>.token, so tokens of
 * several databases sharing one DATA_DIR sit side by side.
 */
export const adminTokenFileOf = (dataDir: string, databaseUrl: string | null, embedded: boolean): string => {
  const identity = databaseIdentity(databaseUrl, embedded);
  if (identity === 'embedded') return join(dataDir, ADMIN_TOKEN_FILE);
  const name = (identity.split('/').pop() || 'db').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 8);
  return join(dataDir, `admin-${name}-${hash}.token`);
};

/** The embedded database's second choice, when admin.token holds another database's token (written by an earlier version). */
export const EMBEDDED_FALLBACK_FILE = 'admin-embedded.token';
