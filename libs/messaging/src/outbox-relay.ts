import { Producer } from 'kafkajs';
import { isLotStreamId } from '@app/domain';
import { DataSource } from 'typeorm';
import {
  AppendSignal,
  CheckpointedSubscription,
  PostgresEventStore,
  StoredEvent,
  SubscriptionWorker,
  WorkerLogger,
  WorkerOptions,
} from '@app/event-store';
import { KafkaSettings } from './kafka-settings';
import { toLotEventMessage, toRecallMessage } from './lot-event-message';

export const RELAY_SUBSCRIPTION = 'relay:kafka';

const isLotEvent = (e: StoredEvent) => isLotStreamId(e.streamId);

/**
 * The events table is the outbox: one more checkpointed subscription that
 * publishes each batch and advances its checkpoint only after the broker has
 * acknowledged it (acks=all, idempotent producer). A crash in between
 * republishes the batch: at-least-once, and consumers dedupe by event id.
 */
export class OutboxRelay {
  readonly subscription: CheckpointedSubscription;
  private worker: SubscriptionWorker | null = null;
  private producer: Producer | null = null;
  published = 0;

  /**
   * @param newProducer makes a connected-to-be producer; after a failed send the
   *   relay throws the old one away (a kafkajs producer can stay wedged after a
   *   broker restart) and the retry starts from a fresh one.
   */
  constructor(
    store: PostgresEventStore,
    dataSource: DataSource,
    private readonly newProducer: () => Producer,
    private readonly settings: KafkaSettings,
    batchSize = 500,
    private readonly sendTimeoutMs = 30_000,
  ) {
    this.subscription = new CheckpointedSubscription(RELAY_SUBSCRIPTION, store, dataSource, (events) => this.publish(events), batchSize);
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.newProducer();
      await producer.connect();
      this.producer = producer;
    }
    return this.producer;
  }

  private async discardProducer(): Promise<void> {
    const old = this.producer;
    this.producer = null;
    await old?.disconnect().catch(() => undefined);
  }

  /** Sends one ordered batch; resolves only once the broker has acknowledged every message. */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    const lotEvents = events.filter(isLotEvent);
    if (lotEvents.length === 0) return;
    const recalls = lotEvents.filter((e) => e.type === 'LotRecalled').map(toRecallMessage);
    let timer: NodeJS.Timeout | undefined;
    try {
      const producer = await this.connected();
      // The batch's transaction stays open while we wait: never wait for ever.
      await Promise.race([
        producer.sendBatch({
          acks: -1,
          topicMessages: [
            { topic: this.settings.lotEventsTopic, messages: lotEvents.map(toLotEventMessage) },
            ...(recalls.length ? [{ topic: this.settings.recallsTopic, messages: recalls }] : []),
          ],
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${this.sendTimeoutMs} ms`)), this.sendTimeoutMs);
        }),
      ]);
    } catch (e) {
      await this.discardProducer();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    this.published += lotEvents.length;
  }

  start(signal: AppendSignal, options: WorkerOptions, logger: WorkerLogger): void {
    this.worker = new SubscriptionWorker(this.subscription, signal, options, logger);
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
    await this.discardProducer();
  }

  get health() {
    return { published: this.published, ...(this.worker?.health ?? { running: false, lastError: null }) };
  }
}
