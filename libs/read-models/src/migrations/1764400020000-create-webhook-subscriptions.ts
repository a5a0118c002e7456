import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook subscriptions and their deliveries (apps/api/src/subscriptions).
 * Not projections: a rebuild never touches them (rebuilding must not tell a
 * store of a recall twice). Deliveries are written by the fan-out in the
 * same transaction that moves its checkpoint (subscription_checkpoints
 * 'webhooks'), unique per subscription and webhook id, so a crash in
 * between loses none and repeats none; a sender claims an attempt by
 * raising `attempts` under a lease, so two api processes never send the
 * same attempt. The runtime role gets its rights through the default
 * privileges the owner granted (1764400008000-grant-runtime-role).
 */
export class CreateWebhookSubscriptions1764400020000 implements MigrationInterface {
  name = 'CreateWebhookSubscriptions1764400020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id               uuid PRIMARY KEY,
        kind             text NOT NULL CHECK (kind IN ('webhook', 'epcis')),
        key_id           text NOT NULL,
        url              text NOT NULL,
        events           text[] NOT NULL,
        facility_ids     text[],
        query            jsonb,
        secret           text NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now(),
        deleted_at       timestamptz,
        deleted_by       text,
        -- Replay (since): events at or before the fan-out's checkpoint when it was made, after this position, sent by a backfill.
        replay_since     bigint,
        replay_until_tx  xid8,
        replay_until_pos bigint,
        replay_cursor_tx  xid8,
        replay_cursor_pos bigint,
        replay_done      boolean NOT NULL DEFAULT true
      )`);
    await q.query(`CREATE INDEX webhook_subscriptions_key ON webhook_subscriptions (key_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id                uuid PRIMARY KEY,
        subscription_id   uuid NOT NULL REFERENCES webhook_subscriptions (id),
        webhook_id        text NOT NULL,
        type              text NOT NULL,
        body              jsonb NOT NULL,
        trace_code        text,
        facility_id       text,
        lot_facility_ids  text[] NOT NULL DEFAULT '{}',
        event_position    bigint NOT NULL,
        state             text NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed', 'dead', 'dropped')),
        attempts          integer NOT NULL DEFAULT 0,
        created_at        timestamptz NOT NULL DEFAULT now(),
        next_attempt_at   timestamptz NOT NULL DEFAULT now(),
        -- Retried for WEBHOOK_RETRY_FOR_MS from here (made, or sent again by hand), backing off from attempts_at_retry.
        retry_from        timestamptz NOT NULL DEFAULT now(),
        attempts_at_retry integer NOT NULL DEFAULT 0,
        lease_until       timestamptz,
        last_attempt_at   timestamptz,
        last_status       integer,
        last_error        text,
        settled_at        timestamptz,
        UNIQUE (subscription_id, webhook_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (lease_until) WHERE state = 'sending'`);
    await q.query(`CREATE INDEX webhook_deliveries_of ON webhook_deliveries (subscription_id, created_at, id)`);
    // A recall's page asks, per lot, whether its holder was told (GET /api/recalls/:id `told`).
    await q.query(`CREATE INDEX webhook_deliveries_lot ON webhook_deliveries (trace_code, type)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        delivery_id     uuid NOT NULL REFERENCES webhook_deliveries (id),
        attempt         integer NOT NULL,
        started_at      timestamptz NOT NULL,
        duration_ms     integer NOT NULL,
        status          integer,
        error           text,
        response_body   text,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
