import '../../../libs/platform/src/register-aliases';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createRootLogger, nestLogger, onShutdownSignal, resolveDatabase } from '@app/platform';
import { loadProjectorConfig } from './projector-config';
import { ProjectorModule } from './projector.module';

/** Consumes lot events from Kafka into the read models; GET /health on PROJECTOR_PORT. */
async function bootstrap(): Promise<void> {
  const config = loadProjectorConfig();
  // JSON lines on stdout, pretty ones on a terminal (LOG_FORMAT says otherwise), kafkajs's and Nest's own lines included.
  const log = createRootLogger({ service: 'projector', ...config });
  const quiet = config.logFormat === 'pretty';
  Logger.overrideLogger(nestLogger(log, { quiet }));
  const logger = new Logger('Projector');
  const database = await resolveDatabase(config, logger);
  const app = await NestFactory.create<NestFastifyApplication>(ProjectorModule.forRoot({ ...config, databaseUrl: database.url, log }), new FastifyAdapter(), {
    logger: nestLogger(log, { quiet }),
  });
  await app.listen(config.port, config.host);
  logger.log(`health on http://${config.host}:${config.port}/health; database: ${database.description}`);

  onShutdownSignal(
    async () => {
      await app.close();
      await database.embedded?.stop();
    },
    logger,
    { graceMs: config.shutdownGraceMs, what: 'finishing the batch in hand, committing offsets, leaving the group' },
  );
}

bootstrap().catch((e: Error) => {
  new Logger('Projector').error(`failed to start: ${e.message}`, e.stack);
  process.exit(1);
});
