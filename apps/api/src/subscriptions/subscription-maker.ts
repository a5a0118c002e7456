import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { ApiError } from '../common/http/api-errors';
import { SUBSCRIPTION_COLUMNS, SubscriptionRow } from './subscription.view';
import { WEBHOOKS_SUBSCRIPTION } from './webhook-fan-out';
import { WebhookWorkers } from './webhook-workers';

/** Subscriptions one key may hold at once: a store needs one or two; more is a mistake or abuse. */
export const MAX_SUBSCRIPTIONS_PER_KEY = 50;

/** What a new subscription is: a webhook's kinds, or an EPCIS query's filters (in `query`). */
export interface NewSubscription {
  readonly kind: 'webhook' | 'epcis';
  readonly url: string;
  readonly events: readonly string[];
  readonly facilityIds: readonly string[] | null;
  readonly query: Record<string, unknown> | null;
  readonly secret: string;
  /** Replay what happened after this position too (null: from now on). */
  readonly since: number | null;
}

const notAllowed = (url: string, why: string, field: string) => new ApiError(422, 'WEBHOOK_URL_NOT_ALLOWED', `${url} may not receive webhooks: ${why}`, { field, url });

/**
 * Makes subscriptions of either kind for a key, from now on: under the
 * fan-out's checkpoint lock, so the fan-out either saw it before its next
 * batch or had finished the batch before it (nothing falls between). When
 * no subscription existed, the fan-out (which then reads nothing) is moved
 * up to now first. `since` asks for the past too: a replay of the events
 * the fan-out had passed, after that position, for this subscription alone.
 */
@Injectable()
export class SubscriptionMaker {
  constructor(
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(WebhookWorkers) private readonly workers: WebhookWorkers,
  ) {}

  async make(principal: Principal, s: NewSubscription, field = 'url'): Promise<SubscriptionRow> {
    await this.checkTarget(s.url, field);
    const row = await this.dataSource.transaction(async (m) => {
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM webhook_subscriptions WHERE key_id = $1 AND deleted_at IS NULL`, [principal.keyId]);
      if (n >= MAX_SUBSCRIPTIONS_PER_KEY) {
        throw new ApiError(422, 'TOO_MANY_SUBSCRIPTIONS', `a key may hold ${MAX_SUBSCRIPTIONS_PER_KEY} subscriptions; delete one first`, { limit: MAX_SUBSCRIPTIONS_PER_KEY });
      }
      await m.query(`INSERT INTO subscription_checkpoints (subscription_id) VALUES ($1) ON CONFLICT (subscription_id) DO NOTHING`, [WEBHOOKS_SUBSCRIPTION]);
      await m.query(`SELECT 1 FROM subscription_checkpoints WHERE subscription_id = $1 FOR UPDATE`, [WEBHOOKS_SUBSCRIPTION]);
      const [{ listening }] = await m.query(`SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE deleted_at IS NULL) AS listening`);
      if (!listening) {
        // Nobody listened, so the fan-out read nothing: it starts from the last event every appender has committed.
        await m.query(
          `UPDATE subscription_checkpoints c SET transaction_id = h.transaction_id, global_position = h.global_position, updated_at = now()
             FROM (SELECT e.transaction_id, e.global_position FROM events e WHERE e.transaction_id < $2::xid8
                    ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1) h
            WHERE c.subscription_id = $1 AND (h.transaction_id, h.global_position) > (c.transaction_id, c.global_position)`,
          [WEBHOOKS_SUBSCRIPTION, await this.store.appendHorizon(m)],
        );
      }
      const rows: SubscriptionRow[] = await m.query(
        `WITH fanned AS (SELECT transaction_id, global_position FROM subscription_checkpoints WHERE subscription_id = $8),
              first AS (SELECT e.transaction_id FROM events e WHERE $7::bigint IS NOT NULL AND e.global_position > $7 ORDER BY e.transaction_id LIMIT 1)
         INSERT INTO webhook_subscriptions (id, kind, key_id, url, events, facility_ids, query, secret,
                                            replay_since, replay_until_tx, replay_until_pos, replay_cursor_tx, replay_cursor_pos, replay_done)
         SELECT $1, $10, $2, $3, $4::text[], $5::text[], $6::jsonb, $9,
                $7, fanned.transaction_id, fanned.global_position, COALESCE((SELECT transaction_id FROM first), fanned.transaction_id), 0, $7::bigint IS NULL
           FROM fanned
         RETURNING ${SUBSCRIPTION_COLUMNS}`,
        [randomUUID(), principal.keyId, s.url, s.events, s.facilityIds, s.query ? JSON.stringify(s.query) : null, s.since, WEBHOOKS_SUBSCRIPTION, s.secret, s.kind],
      );
      return rows[0];
    });
    this.workers.subscribed();
    return row;
  }

  /** The URL's form, then every address its host resolves to now (they are judged again at each attempt). */
  private async checkTarget(url: string, field: string): Promise<void> {
    const problem = this.workers.targets.urlProblem(url);
    if (problem) throw notAllowed(url, problem, field);
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string }[];
    try {
      addresses = await lookup(host, { all: true });
    } catch {
      throw notAllowed(url, `${host} does not resolve`, field);
    }
    for (const a of addresses) {
      const why = this.workers.targets.addressProblem(a.address);
      if (why) throw notAllowed(url, why, field);
    }
  }
}
