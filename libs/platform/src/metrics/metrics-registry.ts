import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * One registry per application instance, never prom-client's global one: the
 * tests start several apps in one process, and a metric registered twice in
 * one registry throws. Process metrics keep prom-client's standard names
 * (process_*, nodejs_*) so stock Node.js dashboards read them as they are.
 */
export const createMetricsRegistry = (): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
};

/**
 * Runs `read` at most once per `ttlMs` however many gauges ask during one
 * scrape, and gives up after `timeoutMs`: a scrape never queues behind a stuck
 * database (readiness names that), it just leaves those gauges out.
 */
export const sharedScrape = <T>(read: () => Promise<T>, ttlMs = 1000, timeoutMs = 2000): (() => Promise<T | null>) => {
  let last: { at: number; value: Promise<T | null> } | null = null;
  return () => {
    const now = Date.now();
    if (last && now - last.at < ttlMs) return last.value;
    let timer: NodeJS.Timeout | undefined;
    const value = Promise.race([
      read(),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ])
      .catch(() => null)
      .finally(() => clearTimeout(timer));
    last = { at: now, value };
    return value;
  };
};

/** How far one reader of the event log (a projection, the relay) stands behind its head. */
export interface ReaderProgress {
  readonly name: string;
  /** The global position of the last event it handled. */
  readonly position: number;
  /** Events recorded that it has not handled yet (capped, see the reader). */
  readonly lagEvents: number;
  /** How long the oldest event it has not handled has waited; 0 when caught up. */
  readonly lagSeconds: number;
}

/**
 * `<prefix>_position`, `<prefix>_lag_events` and `<prefix>_lag_seconds`,
 * labelled by `label` (the projection's name), computed when scraped from
 * one `read` per scrape. Both the api (embedded projections, the relay) and
 * the projector (Kafka mode) expose them under the same names.
 */
export const registerReaderProgress = (
  registry: Registry,
  options: { prefix: string; label: string; what: string; read: () => Promise<readonly ReaderProgress[]> },
): void => {
  const read = sharedScrape(options.read);
  const gauge = (suffix: string, help: string, pick: (p: ReaderProgress) => number) =>
    new Gauge({
      name: `${options.prefix}_${suffix}`,
      help: `${options.what}: ${help}`,
      labelNames: [options.label],
      registers: [registry],
      async collect() {
        const progress = await read();
        this.reset();
        for (const p of progress ?? []) this.set({ [options.label]: p.name }, pick(p));
      },
    });
  gauge('position', 'global position of the last event handled', (p) => p.position);
  gauge('lag_events', 'events recorded and not handled yet', (p) => p.lagEvents);
  gauge('lag_seconds', 'seconds the oldest event not handled yet has waited (0 when caught up)', (p) => p.lagSeconds);
};
