import { KafkaSettings, kafkaSettingsFromEnv } from '@app/messaging';
import { DEFAULT_TEMPERATURE_LIMITS, TemperatureLimits } from '@app/domain';
import { DatabaseSettings, envDatabase, envInt, envLogLevels, envNumber, LogLevel } from '@app/platform';

/** Everything the api reads from its environment, parsed once at start-up. */
export interface AppConfig extends DatabaseSettings {
  readonly port: number;
  readonly host: string;
  /** How long `?atLeast=` waits for a read model before answering 503. */
  readonly readWaitTimeoutMs: number;
  /** Idle poll of the in-process subscriptions (they are also woken by every local append). */
  readonly projectionPollMs: number;
  readonly logLevels: LogLevel[];
  /** null = embedded mode: projections run in-process. Set = the relay publishes, apps/projector projects. */
  readonly kafka: KafkaSettings | null;
  /** A scan above these (°C) raises a TEMPERATURE_EXCURSION compliance flag. */
  readonly temperatureLimits: TemperatureLimits;
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => ({
  ...envDatabase(env),
  port: envInt(env, 'PORT', 3000, 0),
  host: env.HOST || '0.0.0.0',
  readWaitTimeoutMs: envInt(env, 'READ_WAIT_TIMEOUT_MS', 5000, 0),
  projectionPollMs: envInt(env, 'PROJECTION_POLL_MS', 500, 10),
  logLevels: envLogLevels(env),
  kafka: kafkaSettingsFromEnv(env),
  temperatureLimits: {
    FROZEN: envNumber(env, 'TEMP_LIMIT_FROZEN_C', DEFAULT_TEMPERATURE_LIMITS.FROZEN),
    CHILLED: envNumber(env, 'TEMP_LIMIT_CHILLED_C', DEFAULT_TEMPERATURE_LIMITS.CHILLED),
    FRUIT: envNumber(env, 'TEMP_LIMIT_FRUIT_C', DEFAULT_TEMPERATURE_LIMITS.FRUIT),
  },
});
