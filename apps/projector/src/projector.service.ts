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
  private healer: NodeJS.Timeout | null = null;
  private healing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: KafkaSettings,
    readonly inbox: InboxProjector,
    private readonly healEveryMs = 5_000,
  ) {
    this.kafka = createKafka(settings, 'projector', this.logger);
    this.consumer = new LotEventsConsumer(this.kafka, settings, inbox, this.logger);
  }

  onApplicationBootstrap(): void {
    this.starting = this.startWhenBrokerAnswers();
    this.scheduleHealing();
  }

  /** Parked lots are healed from the event store on a timer too: a lot whose last message was lost gets no later one. */
  private scheduleHealing(): void {
    if (this.stopped) return;
    this.healer = setTimeout(() => {
      this.healing = this.inbox
        .healParked()
        .then((r) => {
          if (r.healed > 0) this.logger.log(`healed ${r.healed} parked lot(s) from the event store; ${r.stillParked} still parked`);
        })
        .catch((e: Error) => this.logger.warn(`healing parked lots failed (${e.message}); retrying`))
        .finally(() => this.scheduleHealing());
    }, this.healEveryMs);
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
        // Readiness reports it (503 naming the broker); nothing is lost meanwhile, the events wait in the store and in Kafka.
        this.logger.warn(`Kafka not ready (${(e as Error).message}); retrying in 2 s`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.healer) clearTimeout(this.healer);
    await this.healing;
    await this.starting;
    await this.consumer.stop();
    this.logger.log('consumer stopped');
  }
}
