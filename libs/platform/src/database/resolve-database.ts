import { EmbeddedDatabase, EmbeddedLogger, startEmbeddedPostgres } from './embedded-postgres';
import { describeDatabase } from './data-source-options';

export interface DatabaseSettings {
  readonly databaseUrl: string | null;
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
