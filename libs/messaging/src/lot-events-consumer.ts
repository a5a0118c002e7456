import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { lotStreamId } from '@app/domain';
import { StoredEvent } from '@app/event-store';
import { KafkaLogger, producerConfig } from './kafka-client';
import { KafkaSettings } from './kafka-settings';
import { fromLotEventMessage, headerString, HEADERS } from './lot-event-message';

/** Where consumed events go: applied once each (dedupe by event id in the same transaction). */
export interface EventSink {
  apply(events: readonly StoredEvent[]): Promise<{ applied: number; duplicates: number }>;
  /**
   * A dead-lettered message: what is known of its event (for read-your-writes)
   * and of its lot (whose read models must not be folded past the hole).
   */
  deadLettered(d: { eventId?: string; globalPosition?: number; streamId?: string; reason: string }): Promise<void>;
}

export interface ConsumerStats {
  connected: boolean;
  applied: number;
  duplicates: number;
  deadLettered: number;
  lastError: string | null;
}

const TRANSIENT_PG_CLASSES = ['08', '40', '53', '55', '57', '58'];

/** Worth retrying (database or broker hiccup), as opposed to a message no retry will fix. */
export const isTransient = (e: unknown): boolean => {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; retriable?: unknown; message?: unknown; name?: unknown };
  const pgCode = String(err?.driverError?.code ?? err?.code ?? '');
  if (pgCode.length === 5 && TRANSIENT_PG_CLASSES.includes(pgCode.slice(0, 2))) return true;
  if (err?.retriable === true) return true;
  if (typeof err?.name === 'string' && err.name.startsWith('KafkaJS')) return true;
  return /ECONNREFUSED|ECONNRESET|Connection terminated|timeout|ETIMEDOUT|too many clients|the database system is/i.test(String(err?.message ?? ''));
};

/**
 * Consumes the lot-events topic in a consumer group. Each batch is applied in
 * one database transaction, then its offsets are committed: a crash in
 * between redelivers, and the sink's dedupe makes that harmless. A message no
 * code can apply goes to the dead-letter topic with the error and is counted;
 * consumption goes on.
 */
export class LotEventsConsumer {
  readonly stats: ConsumerStats = { connected: false, applied: 0, duplicates: 0, deadLettered: 0, lastError: null };
  private consumer: Consumer;
  private readonly producer: Producer;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly settings: KafkaSettings,
    private readonly sink: EventSink,
    private readonly logger: KafkaLogger,
  ) {
    this.consumer = this.newConsumer();
    this.producer = kafka.producer(producerConfig());
  }

  private newConsumer(): Consumer {
    const consumer = this.kafka.consumer({
      groupId: this.settings.consumerGroup,
      // A dead projector's partitions move to a live one after this long (a graceful stop hands them over at once).
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      // Rejoin after a failure (broker restarts, rebalances); the events are waiting in Kafka.
      retry: { retries: 10, restartOnFailure: async () => true },
    });
    consumer.on(consumer.events.CONNECT, () => (this.stats.connected = true));
    consumer.on(consumer.events.DISCONNECT, () => (this.stats.connected = false));
    consumer.on(consumer.events.GROUP_JOIN, () => (this.stats.connected = true));
    consumer.on(consumer.events.CRASH, (e) => {
      this.stats.connected = false;
      this.stats.lastError = e.payload.error.message;
      // kafkajs restarts it itself after a retriable error (a broker restart, a lost coordinator): a warning; else an error, and we restart it.
      const line = `consumer crashed (restart: ${e.payload.restart}): ${e.payload.error.message}`;
      if (e.payload.restart) this.logger.warn(line);
      else this.logger.error(line);
      // kafkajs gives up on some errors (e.g. no group coordinator right after a broker restart): start over ourselves.
      if (!e.payload.restart && !this.stopping) void this.restart();
    });
    return consumer;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.settings.lotEventsTopic, fromBeginning: true });
    await this.consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch: (p) => this.handleBatch(p) });
  }

  /** A fresh consumer in the same group, retried until it runs (or we stop). */
  private async restart(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    for (let delay = 1000; !this.stopping; delay = Math.min(delay * 2, 15000)) {
      await new Promise((r) => setTimeout(r, delay));
      if (this.stopping) return;
      this.consumer = this.newConsumer();
      try {
        await this.consumer.connect();
        await this.consumer.subscribe({ topic: this.settings.lotEventsTopic, fromBeginning: true });
        await this.consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch: (p) => this.handleBatch(p) });
        this.logger.warn(`consumer restarted after a crash`);
        return;
      } catch (e) {
        this.stats.lastError = (e as Error).message;
        await this.consumer.disconnect().catch(() => undefined);
      }
    }
  }

  /** Graceful: finishes the batch in hand, commits its offsets, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    await this.producer.disconnect();
    this.stats.connected = false;
  }

  /** Messages in the topic not yet committed by this group, per partition and in total. */
  async lag(): Promise<{ total: number; partitions: { partition: number; lag: number }[] }> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(this.settings.lotEventsTopic),
        admin.fetchOffsets({ groupId: this.settings.consumerGroup, topics: [this.settings.lotEventsTopic] }),
      ]);
      const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      const partitions = ends.map((p) => {
        const at = done.get(p.partition) ?? -1;
        const high = Number(p.high);
        return { partition: p.partition, lag: at < 0 ? high - Number(p.low) : high - at };
      });
      return { total: partitions.reduce((s, p) => s + p.lag, 0), partitions };
    } finally {
      await admin.disconnect();
    }
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload) {
    let pending: { event: StoredEvent; message: KafkaMessage }[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      await this.applyOrIsolate(pending, batch.partition);
      for (const p of pending) resolveOffset(p.message.offset);
      pending = [];
    };
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      try {
        pending.push({ event: fromLotEventMessage(message), message });
      } catch (e) {
        await flush();
        await this.deadLetter(message, batch.partition, e as Error);
        resolveOffset(message.offset);
      }
    }
    await flush();
    await heartbeat();
    await commitOffsetsIfNecessary();
  }

  /** The whole run in one transaction; if that fails for a non-transient reason, one by one to find the poison. */
  private async applyOrIsolate(pending: { event: StoredEvent; message: KafkaMessage }[], partition: number): Promise<void> {
    try {
      this.count(await this.sink.apply(pending.map((p) => p.event)));
      return;
    } catch (e) {
      if (isTransient(e)) throw this.remember(e);
    }
    for (const p of pending) {
      try {
        this.count(await this.sink.apply([p.event]));
      } catch (e) {
        if (isTransient(e)) throw this.remember(e);
        await this.deadLetter(p.message, partition, e as Error, p.event);
      }
    }
  }

  private async deadLetter(message: KafkaMessage, partition: number, error: Error, event?: StoredEvent): Promise<void> {
    this.logger.error(`dead-lettering offset ${message.offset} of partition ${partition}: ${error.message}`);
    await this.producer.send({
      topic: this.settings.deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...(message.headers ?? {}),
            'dlq-error': error.message.slice(0, 1000),
            'dlq-error-name': error.name,
            'dlq-source-topic': this.settings.lotEventsTopic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            'dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
    this.stats.deadLettered++;
    const eventId = event?.eventId ?? headerString(message.headers, HEADERS.eventId);
    const position = Number(event?.globalPosition ?? headerString(message.headers, HEADERS.globalPosition));
    // The lot: from the event, else its trace-code header, else the message key (every lot event is keyed by it).
    const traceCode = headerString(message.headers, HEADERS.traceCode) ?? message.key?.toString() ?? null;
    const streamId = event?.streamId ?? (traceCode ? lotStreamId(traceCode) : undefined);
    const known = eventId && /^[0-9a-f-]{36}$/i.test(eventId) && Number.isInteger(position) && position > 0;
    await this.sink.deadLettered({
      ...(known ? { eventId, globalPosition: position } : {}),
      streamId,
      reason: `offset ${message.offset} of partition ${partition}: ${error.message}`.slice(0, 500),
    });
  }

  private count(r: { applied: number; duplicates: number }): void {
    this.stats.applied += r.applied;
    this.stats.duplicates += r.duplicates;
    this.stats.lastError = null;
  }

  private remember(e: unknown): unknown {
    this.stats.lastError = (e as Error)?.message ?? String(e);
    return e;
  }
}
