import { Counter, Gauge, Registry } from 'prom-client';
import { createMetricsRegistry, sharedScrape } from '@app/platform';
import { ProjectorService } from './projector.service';

/**
 * The projector's metrics, in a registry of its own (tests run several
 * projectors in one process). Computed when scraped from what the consumer
 * and the inbox already keep; the broker and database reads are shared by
 * the gauges of one scrape and left out if they do not answer in time.
 */
export class ProjectorMetrics {
  readonly registry: Registry = createMetricsRegistry();

  constructor(projector: ProjectorService, topic: string) {
    const stats = projector.consumer.stats;
    const registers = [this.registry];
    // The consumer counts since this process started, as a Prometheus counter does.
    const fromStats = (name: string, help: string, value: () => number) =>
      new Counter({
        name,
        help,
        registers,
        collect() {
          this.reset();
          this.inc(value());
        },
      });
    fromStats('coldtrace_projector_events_applied_total', 'Events consumed from Kafka and applied to the read models', () => stats.applied);
    fromStats('coldtrace_projector_duplicates_total', 'Events consumed again (redelivered) and skipped by the inbox', () => stats.duplicates);
    fromStats('coldtrace_projector_dead_lettered_total', 'Messages sent to the dead-letter topic (unreadable, or no code could apply them)', () => stats.deadLettered);

    new Gauge({
      name: 'coldtrace_projector_consumer_connected',
      help: '1 while the Kafka consumer is connected to its group, else 0',
      registers,
      collect() {
        this.set(stats.connected ? 1 : 0);
      },
    });

    const parked = sharedScrape(() => projector.inbox.parked(0));
    new Gauge({
      name: 'coldtrace_projector_parked_lots',
      help: 'Lots whose read models are stale (a hole or an event that cannot be applied) until healed from the event store',
      registers,
      async collect() {
        const p = await parked();
        this.reset();
        if (p) this.set(p.count);
      },
    });

    const lag = sharedScrape(() => projector.consumer.lag());
    new Gauge({
      name: 'coldtrace_kafka_consumer_lag_messages',
      help: "Messages in the lot-events topic not yet committed by the projector's consumer group, per partition",
      labelNames: ['topic', 'partition'],
      registers,
      async collect() {
        const l = await lag();
        this.reset();
        for (const p of l?.partitions ?? []) this.set({ topic, partition: String(p.partition) }, p.lag);
      },
    });
  }
}
