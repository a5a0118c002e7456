import '../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, createRootLogger, nestLogger, onShutdownSignal, resolveDatabase } from '@app/platform';
import { AppModule } from './app.module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_OPTIONS, configureApp, httpAdapter } from './app.setup';
import { loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // JSON lines on stdout (LOG_FORMAT=pretty for a terminal), Nest's own lines included.
  const log = createRootLogger({ service: 'api', ...config });
  Logger.overrideLogger(nestLogger(log));
  const logger = new Logger('Coldtrace');
  const database = await resolveDatabase(config, logger);
  const app = configureApp(
    await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ ...config, databaseUrl: database.url, embeddedDatabase: database.embedded !== null, log }),
      httpAdapter(config),
      { ...APP_OPTIONS, logger: nestLogger(log) },
    ),
    config,
  );
  await app.listen(config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port}/api`);
  logger.log(`database: ${database.description}`);
  logger.log(
    config.kafka
      ? `mode: kafka (${config.kafka.brokers.join(',')}): the relay publishes, run the projector with npm run start:projector`
      : 'mode: embedded (no KAFKA_BROKERS): projections run in this process',
  );

  onShutdownSignal(
    async () => {
      await app.close();
      await database.embedded?.stop();
    },
    logger,
    { graceMs: config.shutdownGraceMs },
  );
}

bootstrap().catch((e: Error) => {
  // A bad setting: its one line says it all; anything else keeps its stack.
  if (e instanceof ConfigError) new Logger('Coldtrace').error(`failed to start: ${e.message}`);
  else new Logger('Coldtrace').error(`failed to start: ${e.message}`, e.stack);
  process.exit(1);
});
