import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { sharedScrape } from '@app/platform';
import { DELIVERY_STATES } from './subscription.view';


/**
 * `coldtrace_webhook_deliveries{subscription, state}`: each live
 * subscription's deliveries by state, read from the database at scrape time
 * (every process shows the same numbers: deliveries are shared work), and
 * how far the fan-out stands behind the log.
 */
export const registerWebhookMetrics = (registry: Registry, dataSource: DataSource): void => {
  const read = sharedScrape(async () => {
    const rows: { subscription_id: string; state: string; n: number }[] = await dataSource.query(
      `SELECT s.id AS subscription_id, d.state, count(d.*)::int AS n
         FROM webhook_subscriptions s LEFT JOIN webhook_deliveries d ON d.subscription_id = s.id
        WHERE s.deleted_at IS NULL
        GROUP BY s.id, d.state`,
    );
    return rows;
  });
  new Gauge({
    name: 'coldtrace_webhook_deliveries',
    help: 'Webhook deliveries of each live subscription, by state (pending, sending, delivered, failed, dead, dropped)',
    labelNames: ['subscription', 'state'],
    registers: [registry],
    async collect() {
      const rows = await read();
      this.reset();
      const subscriptions = new Set((rows ?? []).map((r) => r.subscription_id));
      // Every state of every subscription, zeros included: an alert on dead > 0 needs the series to exist.
      for (const s of subscriptions) for (const state of DELIVERY_STATES) this.set({ subscription: s, state }, 0);
      for (const r of rows ?? []) if (r.state !== null) this.set({ subscription: r.subscription_id, state: r.state }, r.n);
    },
  });
};
