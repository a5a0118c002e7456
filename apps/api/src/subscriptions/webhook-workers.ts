import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CheckpointedSubscription, FailureLog, PostgresEventStore, StateCache, StoredEvent } from '@app/event-store';
import { TemperatureLogStore } from '@app/read-models';
import { CredentialStore } from '../access/credential-store';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { ApiMetrics } from '../metrics/api-metrics';
import { WebhookDispatcher } from './webhook-dispatcher';
import { registerWebhookMetrics } from './webhook-metrics';
import { LISTENER_COLUMNS, listenerOf, ListenerRow, WebhookFanOut, WEBHOOKS_SUBSCRIPTION } from './webhook-fan-out';
import { WebhookSender } from './webhook-sender';
import { WebhookTargets } from './webhook-target';

/** Events read a batch, by the fan-out and by a replay. */
const BATCH = 500;

interface ReplayRow extends ListenerRow {
  replay_since: string;
  replay_until_tx: string;
  replay_until_pos: string;
  replay_cursor_tx: string;
  replay_cursor_pos: string;
}

/**
 * Runs the webhooks of this process: the fan-out (a checkpointed
 * subscription of the event log, run only while some webhook subscription
 * exists, so a service nobody subscribed to reads no event twice), the
 * replays asked for with `since`, and the dispatcher. Every api process runs
 * them; they take turns on the checkpoint and on each delivery.
 */
@Injectable()
export class WebhookWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  readonly targets: WebhookTargets;
  readonly dispatcher: WebhookDispatcher;
  private readonly sender: WebhookSender;
  private readonly fanOut: WebhookFanOut;
  private readonly subscription: CheckpointedSubscription;
  private readonly failures = new FailureLog(this.logger);
  private running = false;
  private loop: Promise<void> | null = null;
  /** Whether any webhook subscription exists, as last seen (this process's own creations set it at once). */
  private listening = false;
  private replaysPending = true;
  /** The fan-out wrote deliveries in the batch now committing: the dispatcher is woken once it has. */
  private wrote = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(StateCache) cache: StateCache,
    @Inject(CredentialStore) credentials: CredentialStore,
    @Inject(ApiMetrics) metrics: ApiMetrics,
    @Inject(TemperatureLogStore) temperatures: TemperatureLogStore,
  ) {
    registerWebhookMetrics(metrics.registry, dataSource);
    this.targets = new WebhookTargets(config.webhooks);
    this.sender = new WebhookSender(this.targets, config.webhooks.timeoutMs);
    const principalOf = (keyId: string) => credentials.principalOf(keyId);
    this.fanOut = new WebhookFanOut(cache, principalOf, config.epcisTimeZoneOffset, (ids, manager) => temperatures.readingsOf(ids, manager));
    this.dispatcher = new WebhookDispatcher(dataSource, this.sender, config.webhooks.retry, principalOf, Math.min(config.projectionPollMs, 500), (m) =>
      this.logger.error(m),
    );
    this.subscription = new CheckpointedSubscription(WEBHOOKS_SUBSCRIPTION, store, dataSource, (events, m) => this.fanOutBatch(events, m), BATCH, false);
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
    this.dispatcher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.store.appended.notify();
    await this.loop;
    await this.dispatcher.stop();
    this.sender.close();
  }

  get health(): { running: boolean; lastError: string | null } {
    return { running: this.running, lastError: this.failures.lastError ?? this.dispatcher.lastError };
  }

  /** A subscription was made here: follow the log from now on, and replay what it asked for. */
  subscribed(): void {
    this.listening = true;
    this.replaysPending = true;
    this.store.appended.notify();
  }

  private async run(): Promise<void> {
    let lastLook = 0;
    while (this.running) {
      try {
        // Another process's subscriptions (or their end) are seen within a poll.
        if (Date.now() - lastLook >= this.config.projectionPollMs) {
          lastLook = Date.now();
          const [{ listening, replays }] = await this.dataSource.query(
            `SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE deleted_at IS NULL) AS listening,
                    EXISTS (SELECT 1 FROM webhook_subscriptions WHERE deleted_at IS NULL AND NOT replay_done) AS replays`,
          );
          this.listening = listening;
          this.replaysPending ||= replays;
        }
        this.wrote = false;
        const handled = this.listening ? await this.subscription.processBatch() : 0;
        const replayed = this.replaysPending ? await this.replayBatch() : 0;
        if (this.wrote) this.dispatcher.wake();
        this.failures.succeeded(WEBHOOKS_SUBSCRIPTION);
        if (handled === 0 && replayed === 0) await this.store.appended.wait(this.config.projectionPollMs);
      } catch (e) {
        this.failures.failed(WEBHOOKS_SUBSCRIPTION, e as Error);
        await this.store.appended.wait(1000);
      }
    }
  }

  private async fanOutBatch(events: StoredEvent[], manager: EntityManager): Promise<void> {
    const rows: ListenerRow[] = await manager.query(`SELECT ${LISTENER_COLUMNS} FROM webhook_subscriptions WHERE deleted_at IS NULL`);
    if ((await this.fanOut.fanOut(events, rows.map((r) => listenerOf(r)), manager)) > 0) this.wrote = true;
  }

  /**
   * One page of one subscription's replay (`since`): the events the fan-out
   * had passed when it was made, after its `since` position, for it alone.
   * Its row is locked while the page is written, so two processes never
   * replay the same page; resolves to the events read (0: nothing left).
   */
  private async replayBatch(): Promise<number> {
    const read = await this.dataSource.transaction(async (m) => {
      const [row]: ReplayRow[] = await m.query(
        `SELECT ${LISTENER_COLUMNS}, replay_since, replay_until_tx::text, replay_until_pos, replay_cursor_tx::text, replay_cursor_pos
           FROM webhook_subscriptions WHERE deleted_at IS NULL AND NOT replay_done
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!row) return 0;
      const until = { transactionId: row.replay_until_tx, globalPosition: Number(row.replay_until_pos) };
      const page = await this.store.readAfter({ transactionId: row.replay_cursor_tx, globalPosition: Number(row.replay_cursor_pos) }, BATCH, m, false);
      const within = page.filter((e) => BigInt(e.transactionId) < BigInt(until.transactionId) || (e.transactionId === until.transactionId && e.globalPosition <= until.globalPosition));
      const written = await this.fanOut.fanOut(within, [listenerOf(row, Number(row.replay_since))], m);
      const last = within.at(-1);
      const done = within.length < page.length || page.length < BATCH;
      await m.query(
        `UPDATE webhook_subscriptions SET replay_cursor_tx = COALESCE($2::xid8, replay_cursor_tx), replay_cursor_pos = COALESCE($3, replay_cursor_pos), replay_done = $4 WHERE id = $1`,
        [row.id, last?.transactionId ?? null, last?.globalPosition ?? null, done],
      );
      if (written > 0) this.wrote = true;
      return Math.max(within.length, 1);
    });
    if (read === 0) this.replaysPending = false;
    return read;
  }
}
