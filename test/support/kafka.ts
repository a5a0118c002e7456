import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { KafkaSettings } from '@app/messaging';
import { nestLogger, type RootLogger } from '@app/platform';
import { ProjectorModule } from '../../apps/projector/src/projector.module';
import { ProjectorService } from '../../apps/projector/src/projector.service';
import { loadProjectorConfig } from '../../apps/projector/src/projector-config';
import { testRootLogger } from './logs';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

export const brokers = (): string[] => {
  const b = process.env.KAFKA_BROKERS;
  if (!b) throw new Error('KAFKA_BROKERS is not set: the global setup of the kafka project starts a broker (docker/kafka/start.sh); run this suite with --selectProjects kafka');
  return b.split(',');
};

/** Topics and a consumer group of their own, so test files never see each other's messages. */
export const testKafkaSettings = (partitions = 3): KafkaSettings => {
  const tag = randomBytes(4).toString('hex');
  return {
    brokers: brokers(),
    clientId: `test-${tag}`,
    lotEventsTopic: `test.${tag}.lot-events`,
    deadLetterTopic: `test.${tag}.lot-events.dlq`,
    recallsTopic: `test.${tag}.recalls`,
    partitions,
    replicationFactor: 1,
    retentionMs: 3_600_000,
    consumerGroup: `test-${tag}-projector`,
  };
};

export const rawKafka = () => new Kafka({ clientId: `test-raw-${randomBytes(3).toString('hex')}`, brokers: brokers(), logLevel: logLevel.NOTHING });

export interface TestProjector {
  readonly app: INestApplication;
  readonly service: ProjectorService;
  close(): Promise<void>;
}

/**
 * apps/projector in this process (its real module), on the given database; resolves once it consumes.
 * `log`: where it logs (captureLogs()); default: warnings and errors on stdout. Nest's `Logger` is one
 * per process: the app started last receives the `new Logger(context)` lines of both.
 */
export const createTestProjector = async (databaseUrl: string, kafka: KafkaSettings, env: NodeJS.ProcessEnv = {}, log: RootLogger = testRootLogger('projector')): Promise<TestProjector> => {
  const config = { ...loadProjectorConfig({ KAFKA_BROKERS: kafka.brokers.join(','), ...env }), kafka, databaseUrl, log };
  const moduleRef = await Test.createTestingModule({ imports: [ProjectorModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: nestLogger(log) });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const service = app.get(ProjectorService);
  await service.ready();
  return { app, service, close: () => app.close() };
};

/** Reads `count` messages of a topic from the beginning with a throwaway consumer group. */
export const readTopic = async (topic: string, count: number, timeoutMs = 30_000) => {
  const consumer = rawKafka().consumer({ groupId: `test-reader-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100 });
  const got: (KafkaMessage & { partition: number })[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done!: () => void;
    const enough = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        got.push({ ...message, partition });
        if (got.length >= count) done();
      },
    });
    await Promise.race([enough, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${got.length}/${count} messages on ${topic}`)), timeoutMs))]);
    return got;
  } finally {
    await consumer.disconnect();
  }
};

/** The broker the suite runs on, if docker/kafka/start.sh manages it (so a test may stop and restart it). */
export const managedBroker = () => {
  const port = process.env.COLDTRACE_TEST_KAFKA_PORT;
  if (!port) return null;
  const env = { ...process.env, KAFKA_PORT: port, ...(process.env.COLDTRACE_TEST_KAFKA_RUN_DIR ? { KAFKA_RUN_DIR: process.env.COLDTRACE_TEST_KAFKA_RUN_DIR } : {}) };
  return {
    stop: () => run('bash', [join(ROOT, 'docker/kafka/stop.sh')], { env }).then(() => undefined),
    start: () => run('bash', [join(ROOT, 'docker/kafka/start.sh')], { env, timeout: 180_000 }).then(() => undefined),
  };
};
