import { envInt } from '@app/platform';

/** How both processes reach Kafka; read from the same environment (docs/operations.md, Configuration). */
export interface KafkaSettings {
  readonly brokers: string[];
  readonly clientId: string;
  readonly lotEventsTopic: string;
  readonly deadLetterTopic: string;
  /** One message per lot a recall reaches, keyed by the facility holding it, so each site can follow its own. */
  readonly recallsTopic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic retention; the event store keeps everything forever, Kafka need not. -1 = forever. */
  readonly retentionMs: number;
  readonly consumerGroup: string;
}

/** null when KAFKA_BROKERS is unset: the embedded, in-process mode. */
export const kafkaSettingsFromEnv = (env: NodeJS.ProcessEnv): KafkaSettings | null => {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) return null;
  const lotEventsTopic = env.KAFKA_LOT_EVENTS_TOPIC || 'coldtrace.lot-events.v1';
  const retention = env.KAFKA_RETENTION_MS;
  return {
    brokers,
    clientId: env.KAFKA_CLIENT_ID || 'coldtrace',
    lotEventsTopic,
    deadLetterTopic: env.KAFKA_DEAD_LETTER_TOPIC || `${lotEventsTopic}.dlq`,
    recallsTopic: env.KAFKA_RECALLS_TOPIC || 'coldtrace.recalls.v1',
    partitions: envInt(env, 'KAFKA_PARTITIONS', 6, 1),
    replicationFactor: envInt(env, 'KAFKA_REPLICATION_FACTOR', 1, 1),
    retentionMs: retention === undefined || retention === '' ? 7 * 24 * 3600 * 1000 : retention === '-1' ? -1 : envInt(env, 'KAFKA_RETENTION_MS', 0, 1),
    consumerGroup: env.KAFKA_CONSUMER_GROUP || 'coldtrace-projector',
  };
};
