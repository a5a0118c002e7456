import { Kafka, logLevel, LogEntry, Partitioners, ProducerConfig } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';

export interface KafkaLogger {
  error(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

/** A kafkajs client whose own logging goes through ours (warn and above). */
export const createKafka = (settings: KafkaSettings, clientSuffix: string, logger: KafkaLogger): Kafka =>
  new Kafka({
    clientId: `${settings.clientId}-${clientSuffix}`,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        const line = `kafkajs: ${message} ${JSON.stringify(extra)}`;
        if (level <= logLevel.ERROR) logger.error(line);
        else logger.warn(line);
      },
  });

/**
 * Every producer of ours: idempotent (needs acks=all on send and one request
 * in flight), and the Java-compatible murmur2 partitioner chosen explicitly, so
 * a lot's key lands on the same partition whichever client produced it.
 */
export const producerConfig = (): ProducerConfig => ({
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
});
