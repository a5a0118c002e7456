import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/platform';
import { createTestDatabase } from './test-database';

/** A migrated fresh database without the HTTP app, for event-store level tests. */
export const createTestDataSource = async (): Promise<{ dataSource: DataSource; close: () => Promise<void> }> => {
  const db = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions(db.url));
  await dataSource.initialize();
  await dataSource.runMigrations();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
};
