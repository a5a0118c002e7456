import './register-aliases';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { loadConfig } from './config/app-config';
import { describeDatabase } from './database/data-source-options';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(config.logLevels);
  const logger = new Logger('Coldtrace');
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, logger);
    databaseUrl = embedded.url;
  }
  const app = configureApp(await NestFactory.create(AppModule.forRoot({ ...config, databaseUrl }), { logger: config.logLevels }));
  await app.listen(config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port}/api`);
  logger.log(
    embedded
      ? `database: embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${config.dataDir}/pg`
      : `database: ${describeDatabase(databaseUrl)}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    await app.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

bootstrap().catch((e: Error) => {
  new Logger('Coldtrace').error(`failed to start: ${e.message}`, e.stack);
  process.exit(1);
});
