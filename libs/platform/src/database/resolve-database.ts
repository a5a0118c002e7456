import { EmbeddedDatabase, EmbeddedLogger, startEmbeddedPostgres } from './embedded-postgres';
import { DatabaseTimeouts, describeDatabase } from './data-source-options';

export interface DatabaseSettings extends DatabaseTimeouts {
  readonly databaseUrl: string | null;
  /** The schema owner that runs migrations (MIGRATIONS_DATABASE_URL); null = DATABASE_URL's role runs them too. */
  readonly migrationsDatabaseUrl?: string | null;
  readonly dataDir: string;
  readonly embeddedPostgresPort: number;
}

export interface ResolvedDatabase {
  readonly url: string;
  /** Human description for the start-up log (password masked). */
  readonly description: string;
  readonly embedded: EmbeddedDatabase | null;
}

/** DATABASE_URL when given; otherwise the embedded PostgreSQL under DATA_DIR (started, or shared if already up). */
export const resolveDatabase = async (settings: DatabaseSettings, logger: EmbeddedLogger): Promise<ResolvedDatabase> => {
  if (settings.migrationsDatabaseUrl && !settings.databaseUrl) {
    throw new Error('MIGRATIONS_DATABASE_URL is set but DATABASE_URL is not: set both (the owner and the runtime role of one database), or neither');
  }
  if (settings.databaseUrl) {
    return { url: settings.databaseUrl, description: describeDatabase(settings.databaseUrl), embedded: null };
  }
  const embedded = await startEmbeddedPostgres(settings.dataDir, settings.embeddedPostgresPort, logger);
  return {
    url: embedded.url,
    description: `embedded PostgreSQL on 127.0.0.1:${settings.embeddedPostgresPort}, data in ${settings.dataDir}/pg`,
    embedded,
  };
};
