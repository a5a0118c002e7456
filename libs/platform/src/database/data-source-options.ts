import { DataSourceOptions } from 'typeorm';
import { EVENT_STORE_ENTITIES, EVENT_STORE_MIGRATIONS } from '@app/event-store';
import { READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@app/read-models';

/** One schema, changed only by migrations (never synchronize). */
export const dataSourceOptions = (url: string): DataSourceOptions => ({
  type: 'postgres',
  url,
  entities: [...EVENT_STORE_ENTITIES, ...READ_MODEL_ENTITIES],
  migrations: [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS],
  migrationsTableName: 'schema_migrations',
  migrationsTransactionMode: 'each',
  synchronize: false,
  extra: { max: 20 },
});

/** A URL safe to print: the password is masked. */
export const describeDatabase = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
};
