import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createKafka, ensureTopics, KafkaSettings, LotEventsConsumer } from '@app/messaging';
import { InboxProjector } from '@app/read-models';

/** Owns the consumer: starts it once the topics exist, stops it gracefully before the pool closes. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projector');
  readonly consumer: LotEventsConsumer;
  private readonly kafka;
  private stopped = false;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly settings: KafkaSettings,
    inbox: InboxProjector,
  ) {
    this.kafka = createKafka(settings, 'projector', this.logger);
    this.consumer = new LotEventsConsumer(this.kafka, settings, inbox, this.logger);
  }

  onApplicationBootstrap(): void {
    this.starting = this.startWhenBrokerAnswers();
  }

  /** Resolves once the consumer has joined its group (tests wait on it). */
  ready(): Promise<void> {
    return this.starting ?? Promise.resolve();
  }

  private async startWhenBrokerAnswers(): Promise<void> {
    while (!this.stopped) {
      try {
        await ensureTopics(this.kafka, this.settings);
        await this.consumer.start();
        this.logger.log(`consuming ${this.settings.lotEventsTopic} as group ${this.settings.consumerGroup}`);
        return;
      } catch (e) {
        this.consumer.stats.lastError = (e as Error).message;
        this.logger.error(`Kafka not ready (${(e as Error).message}); retrying in 2 s`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.consumer.stop();
    this.logger.log('consumer stopped');
  }
}
