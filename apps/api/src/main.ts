import '../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, createRootLogger, nestLogger, onShutdownSignal, resolveDatabase } from '@app/platform';
import { AppModule } from './app.module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { APP_OPTIONS, configureApp, httpAdapter } from './app.setup';
import { loadConfig } from './config/app-config';
import { AdminBootstrap } from './keys/admin-bootstrap';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // JSON lines on stdout, pretty ones on a terminal (LOG_FORMAT says otherwise), Nest's own lines included;
  // pretty, Nest's line per module and route is at debug level.
  const log = createRootLogger({ service: 'api', ...config });
  const quiet = config.logFormat === 'pretty';
  Logger.overrideLogger(nestLogger(log, { quiet }));
  const logger = new Logger('Coldtrace');
  const database = await resolveDatabase(config, logger);
  const app = configureApp(
    await NestFactory.create<NestFastifyApplication>(
      AppModule.forRoot({ ...config, databaseUrl: database.url, embeddedDatabase: database.embedded !== null, log }),
      httpAdapter(config),
      { ...APP_OPTIONS, logger: nestLogger(log, { quiet }) },
    ),
    config,
  );
  await app.listen(config.port, config.host);
  // One summary, a few lines: what runs where, and where the admin token is.
  logger.log(
    [
      `ready: http://${config.host}:${config.port}/api`,
      `  mode: ${database.embedded ? 'embedded database' : 'external database'}, ${config.kafka ? 'projections through Kafka' : 'projections in this process'}`,
      `  database: ${database.description}`,
      `  kafka: ${config.kafka ? `${config.kafka.brokers.join(',')} (the relay publishes; run the projector with npm run start:projector)` : 'none (no KAFKA_BROKERS)'}`,
      `  admin token file: ${app.get(AdminBootstrap).adminTokenAt}`,
    ].join('\n'),
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
