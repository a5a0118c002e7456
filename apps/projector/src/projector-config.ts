import { KafkaSettings, kafkaSettingsFromEnv } from '@app/messaging';
import { DatabaseSettings, envDatabase, envInt, envLogFormat, envLogLevels, envMetricsToken, envShutdownGraceMs, LogFormat, LogLevel } from '@app/platform';

export interface ProjectorConfig extends DatabaseSettings {
  /** Port of the health endpoint. */
  readonly port: number;
  /** How often parked lots are retried from the event store (PROJECTOR_HEAL_MS). */
  readonly healEveryMs: number;
  readonly host: string;
  readonly logLevels: LogLevel[];
  /** `LOG_FORMAT`: JSON lines, or `pretty` for a terminal. */
  readonly logFormat: LogFormat;
  /** `METRICS_TOKEN`: a bearer token GET /metrics asks for; null = open. */
  readonly metricsToken: string | null;
  readonly kafka: KafkaSettings;
  /** `SHUTDOWN_GRACE_MS`: after SIGTERM the process exits within this, whatever is still in flight. */
  readonly shutdownGraceMs: number;
}

/** Same environment as the api; KAFKA_BROKERS is required here. */
export const loadProjectorConfig = (env: NodeJS.ProcessEnv = process.env): ProjectorConfig => {
  const kafka = kafkaSettingsFromEnv(env);
  if (!kafka) {
    throw new Error('the projector consumes Kafka: set KAFKA_BROKERS (without Kafka the api projects in-process)');
  }
  return {
    ...envDatabase(env),
    port: envInt(env, 'PROJECTOR_PORT', 3001, 0),
    healEveryMs: envInt(env, 'PROJECTOR_HEAL_MS', 5000, 100),
    host: env.HOST || '0.0.0.0',
    logLevels: envLogLevels(env),
    // A person at a terminal reads pretty lines; the process's own environment only (a test's config is JSON).
    logFormat: envLogFormat(env, env === process.env && process.stdout.isTTY === true),
    metricsToken: envMetricsToken(env),
    kafka,
    shutdownGraceMs: envShutdownGraceMs(env),
  };
};
