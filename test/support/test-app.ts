import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionEngine } from '@app/read-models';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/app.setup';
import { AppConfig, loadConfig } from '../../apps/api/src/config/app-config';
import { createTestDatabase } from './test-database';

export interface TestApp {
  readonly app: INestApplication;
  readonly http: () => ReturnType<typeof request>;
  readonly dataSource: DataSource;
  readonly store: PostgresEventStore;
  readonly projections: ProjectionEngine;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/** The real API on its own fresh PostgreSQL database, migrations run, in-process projections on. */
export const createTestApp = async (overrides: Partial<AppConfig> = {}, shareDatabaseOf?: TestApp): Promise<TestApp> => {
  // A second app on the same database plays a second process (its own pool, mutexes and projections).
  const db = shareDatabaseOf ? { url: shareDatabaseOf.databaseUrl, drop: async () => undefined } : await createTestDatabase();
  const config = { ...loadConfig({}), readWaitTimeoutMs: 10_000, projectionPollMs: 50, ...overrides, databaseUrl: db.url };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = configureApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
  await app.init();
  const server = app.getHttpServer() as App;
  return {
    app,
    http: () => request(server),
    dataSource: app.get<DataSource>(getDataSourceToken()),
    store: app.get(PostgresEventStore),
    projections: app.get(ProjectionEngine),
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
};
