import { Kafka, logLevel, LogEntry, Partitioners, ProducerConfig } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';

/** Nest's Logger fits: kafkajs lines are logged at the level kafkaLogLevel chooses. */
export interface KafkaLogger {
  error(message: string): void;
  warn(message: string): void;
  log(message: string): void;
  debug?(message: string): void;
}

export type KafkaLineLevel = 'error' | 'warn' | 'log' | 'debug';

/**
 * Protocol errors kafkajs retries by itself, and that a healthy cluster
 * answers now and then: a rebalance, a coordinator or leader moving or still
 * loading, a topic just created. kafkajs logs each failed response at ERROR;
 * if the retries run out, the caller's own error (a crash, a failed send) is
 * what says so.
 */
const RETRIED_RESPONSE =
  /rebalanc|not the correct coordinator|coordinator (is )?(not available|loading)|coordinator load in progress|not the leader|no leader|leadership election|leader not available|does not host this topic-partition|unknown topic or partition|not enough replicas|request timed out|not controller|member id is not known|rejoin/i;

/** A broker that is away or restarting: kafkajs retries, reconnects, and its callers report it if that fails for good. */
const CONNECTION_TROUBLE = /connection (error|timeout|closed)|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|failed to connect|broker (not|is) (available|down)|closed connection|socket|KafkaJSConnection|KafkaJSNumberOfRetriesExceeded|KafkaJSNonRetriableError: (Connection|Closed)/i;

/**
 * The level a kafkajs log line deserves: kafkajs logs at ERROR many things
 * that are part of normal life (a group rebalancing, a coordinator moving, a
 * broker restarting) and that it recovers from by itself; those would flood
 * logs (and a test run) with errors that are not. What kafkajs cannot recover
 * from still reaches us as an error through its callers (a crash without
 * restart, a failed send), and those are logged where they are handled.
 */
export const kafkaLogLevel = ({ level, log }: Pick<LogEntry, 'level' | 'log'>): KafkaLineLevel => {
  const message = String(log.message ?? '');
  const error = typeof log.error === 'string' ? log.error : '';
  const text = `${message} ${error}`;
  if (level >= logLevel.DEBUG) return 'debug';
  // Said by every idempotent producer we make: our retries are bounded on purpose (the relay retries the batch itself, at-least-once).
  if (/^Limiting retries for the idempotent producer/.test(message)) return 'debug';
  if (level === logLevel.INFO) return 'log';
  // Joining again after a rebalance is how a consumer group works, not a problem.
  if (/group is rebalancing|re-joining the group|rejoin/i.test(message)) return 'log';
  // A failed response that kafkajs retries: only interesting when debugging the protocol.
  if (message.startsWith('Response ') && RETRIED_RESPONSE.test(error)) return 'debug';
  if (level === logLevel.WARN) return 'warn';
  // A consumer restarting after a retriable crash (kafkajs says which) and connection trouble it retries.
  if (/^Restarting the consumer/.test(message)) return 'warn';
  if (message.startsWith('Crash: ') && (CONNECTION_TROUBLE.test(text) || RETRIED_RESPONSE.test(text))) return 'warn';
  if (CONNECTION_TROUBLE.test(text) || /^Failed to send messages/.test(message) || RETRIED_RESPONSE.test(text)) return 'warn';
  return 'error';
};

/** A kafkajs client whose own logging goes through ours, each line at the level kafkaLogLevel gives it. */
export const createKafka = (settings: KafkaSettings, clientSuffix: string, logger: KafkaLogger): Kafka =>
  new Kafka({
    clientId: `${settings.clientId}-${clientSuffix}`,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 5000 },
    // INFO: kafkajs's lifecycle lines (joins, restarts) are mapped to info or debug, and LOG_LEVEL decides.
    logLevel: logLevel.INFO,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...extra } = log;
        const line = `kafkajs${namespace ? ` ${namespace}` : ''}: ${message}${Object.keys(extra).length ? ` ${JSON.stringify(extra)}` : ''}`;
        const chosen = kafkaLogLevel({ level, log });
        if (chosen === 'debug') logger.debug?.(line);
        else logger[chosen](line);
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
