import { Producer } from 'kafkajs';
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

const isLotEvent = (e: StoredEvent) => e.streamId.startsWith('lot-');

/**
 * The events table is the outbox: one more checkpointed subscription that
 * publishes each batch and advances its checkpoint only after the broker has
 * acknowledged it (acks=all, idempotent producer). A crash in between
 * republishes the batch: at-least-once, and consumers dedupe by event id.
 */
export class OutboxRelay {
  readonly subscription: CheckpointedSubscription;
  private worker: SubscriptionWorker | null = null;
  published = 0;

  constructor(
    store: PostgresEventStore,
    dataSource: DataSource,
    private readonly producer: Producer,
    private readonly settings: KafkaSettings,
    batchSize = 500,
  ) {
    this.subscription = new CheckpointedSubscription(RELAY_SUBSCRIPTION, store, dataSource, (events) => this.publish(events), batchSize);
  }

  /** Sends one ordered batch; resolves only once the broker has acknowledged every message. */
  async publish(events: readonly StoredEvent[]): Promise<void> {
    const lotEvents = events.filter(isLotEvent);
    if (lotEvents.length === 0) return;
    const recalls = lotEvents.filter((e) => e.type === 'LotRecalled').map(toRecallMessage);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: this.settings.lotEventsTopic, messages: lotEvents.map(toLotEventMessage) },
        ...(recalls.length ? [{ topic: this.settings.recallsTopic, messages: recalls }] : []),
      ],
    });
    this.published += lotEvents.length;
  }

  start(signal: AppendSignal, options: WorkerOptions, logger: WorkerLogger): void {
    this.worker = new SubscriptionWorker(this.subscription, signal, options, logger);
    this.worker.start();
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    this.worker = null;
  }

  get health() {
    return { published: this.published, ...(this.worker?.health ?? { running: false, lastError: null }) };
  }
}
