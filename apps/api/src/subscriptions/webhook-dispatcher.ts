import { DataSource } from 'typeorm';
import type { Principal } from '@app/domain';
import { mayReceive } from './delivery-scope';
import { afterFailure, RetryPolicy, verdictOf } from './webhook-retry';
import { Sent, WebhookSender } from './webhook-sender';
import { webhookHeaders } from './webhook-signature';

/** Attempts in flight in this process, all receivers together. */
const MAX_IN_FLIGHT = 32;
/** Attempts in flight to one subscription: a slow receiver holds this many, never the others' turns. */
const PER_SUBSCRIPTION = 4;
/**
 * How long an attempt's claim holds: past it (the process died mid-send), the
 * attempt is made again, under a new number. Three times the send timeout, so
 * a live process always records its outcome first.
 */
const LEASE_SECONDS = 15;

interface Claimed {
  id: string;
  subscription_id: string;
  webhook_id: string;
  type: string;
  body: unknown;
  facility_id: string | null;
  lot_facility_ids: string[];
  attempts: number;
  retry_from: Date;
  attempts_at_retry: number;
  url: string;
  secret: string;
  key_id: string;
  deleted: boolean;
}

/** How an attempt ended, as the delivery row records it. */
type Outcome =
  | { readonly state: 'delivered' | 'failed' | 'dead' | 'dropped'; readonly sent: Sent | null; readonly error?: string }
  | { readonly state: 'pending'; readonly sent: Sent; readonly at: Date };

/**
 * Sends what the fan-out wrote. Each attempt is claimed first (attempts
 * raised, a lease taken, rows locked SKIP LOCKED), so several api processes
 * share the work and never make the same attempt twice; its outcome is
 * written only if the claim still stands. Receivers are judged by their own
 * answers: a slow one holds at most PER_SUBSCRIPTION attempts and delays no
 * other, and no attempt ever waits on a command (nothing here touches the
 * event store). The key's scope is judged again at each attempt: a revoked
 * key's deliveries stop, and so do those it may no longer be told of.
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private readonly sending = new Set<Promise<void>>();
  lastError: string | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sender: WebhookSender,
    private readonly retry: RetryPolicy,
    private readonly principalOf: (keyId: string) => Promise<Principal | null>,
    private readonly pollMs: number,
    private readonly onError: (message: string) => void,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await Promise.allSettled([...this.sending]);
    this.loop = null;
  }

  /** Something may be due (a fan-out committed, a retry was asked for): look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.claimAndSend();
        this.lastError = null;
      } catch (e) {
        const message = (e as Error).message;
        if (message !== this.lastError) this.onError(`webhook deliveries: ${message}`);
        this.lastError = message;
      }
      if (claimed > 0 && this.total < MAX_IN_FLIGHT) continue;
      if (this.woken) {
        this.woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakeUp = done;
      });
      this.wakeUp = null;
      this.woken = false;
    }
  }

  /** Claims what is due for the subscriptions with room, and starts sending it; resolves to how many were claimed. */
  private async claimAndSend(): Promise<number> {
    const room = MAX_IN_FLIGHT - this.total;
    if (room <= 0) return 0;
    const busy = [...this.inFlight];
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [Claimed[], number] = await this.dataSource.query(
      `WITH busy AS (SELECT * FROM unnest($2::uuid[], $5::int[]) AS b(subscription_id, n)),
       due AS (
         SELECT d.subscription_id, $3 - COALESCE(max(busy.n), 0) AS room FROM webhook_deliveries d
           LEFT JOIN busy ON busy.subscription_id = d.subscription_id
          WHERE ((d.state = 'pending' AND d.next_attempt_at <= now()) OR (d.state = 'sending' AND d.lease_until < now()))
          GROUP BY d.subscription_id
         HAVING $3 - COALESCE(max(busy.n), 0) > 0
          LIMIT $1
       ), picked AS (
         SELECT x.id, x.state AS was, x.attempts AS was_attempt, x.last_attempt_at AS was_at FROM due
          CROSS JOIN LATERAL (
            SELECT d.id, d.state, d.attempts, d.last_attempt_at FROM webhook_deliveries d
             WHERE d.subscription_id = due.subscription_id
               AND ((d.state = 'pending' AND d.next_attempt_at <= now()) OR (d.state = 'sending' AND d.lease_until < now()))
             ORDER BY d.next_attempt_at
             LIMIT due.room
             FOR UPDATE SKIP LOCKED
          ) x
          LIMIT $1
       ), lost AS (
         -- An attempt whose claim ran out: the process making it stopped before it knew the outcome. On record as such.
         INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status, error)
         SELECT id, was_attempt, was_at, 0, NULL, 'no outcome: the process sending it stopped first' FROM picked WHERE was = 'sending'
         ON CONFLICT DO NOTHING
       )
       UPDATE webhook_deliveries d
          SET state = 'sending', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => $4), last_attempt_at = now()
         FROM picked, webhook_subscriptions s
        WHERE d.id = picked.id AND s.id = d.subscription_id
       RETURNING d.id, d.subscription_id, d.webhook_id, d.type, d.body, d.facility_id, d.lot_facility_ids, d.attempts, d.retry_from, d.attempts_at_retry,
                 s.url, s.secret, s.key_id, s.deleted_at IS NOT NULL AS deleted`,
      [room, busy.map(([id]) => id), PER_SUBSCRIPTION, LEASE_SECONDS, busy.map(([, n]) => n)],
    );
    for (const row of rows) {
      this.inFlight.set(row.subscription_id, (this.inFlight.get(row.subscription_id) ?? 0) + 1);
      this.total++;
      const sending = this.attempt(row).finally(() => {
        const n = this.inFlight.get(row.subscription_id)! - 1;
        if (n === 0) this.inFlight.delete(row.subscription_id);
        else this.inFlight.set(row.subscription_id, n);
        this.total--;
        this.sending.delete(sending);
        this.wake();
      });
      this.sending.add(sending);
    }
    return rows.length;
  }

  private async attempt(row: Claimed): Promise<void> {
    const started = new Date();
    let outcome: Outcome;
    try {
      outcome = await this.send(row, started);
    } catch (e) {
      outcome = { state: 'dropped', sent: null, error: `could not send: ${(e as Error).message}` };
    }
    await this.record(row, started, outcome).catch((e: Error) => this.onError(`webhook delivery ${row.id}: its outcome was not recorded (${e.message}); its lease runs out and it is sent again`));
  }

  private async send(row: Claimed, started: Date): Promise<Outcome> {
    if (row.deleted) return { state: 'dropped', sent: null, error: 'the subscription was deleted' };
    const principal = await this.principalOf(row.key_id);
    if (!principal) return { state: 'dropped', sent: null, error: "the subscription's key was revoked" };
    if (!mayReceive(principal, row.type, row.facility_id, row.lot_facility_ids)) {
      return { state: 'dropped', sent: null, error: "the subscription's key may no longer be told of this lot" };
    }
    const body = JSON.stringify(row.body);
    const sent = await this.sender.send(row.url, webhookHeaders(row.secret, row.webhook_id, body, started), body);
    if (sent.refused) return { state: 'failed', sent };
    const verdict = sent.status === null ? 'retry' : verdictOf(sent.status);
    if (verdict !== 'retry') return { state: verdict, sent };
    const next = afterFailure(this.retry, row.attempts - row.attempts_at_retry, row.retry_from, new Date(), this.random());
    return next.kind === 'dead' ? { state: 'dead', sent } : { state: 'pending', sent, at: next.at };
  }

  /** The attempt's outcome and its line in the attempts log, only if its claim still stands (same attempt number, still sending). */
  private async record(row: Claimed, started: Date, outcome: Outcome): Promise<void> {
    const sent = outcome.sent;
    await this.dataSource.query(
      `WITH settled AS (
         UPDATE webhook_deliveries
            SET state = $3, lease_until = NULL, next_attempt_at = COALESCE($4, next_attempt_at), last_status = $5, last_error = $6,
                settled_at = CASE WHEN $3 = 'pending' THEN NULL ELSE now() END
          WHERE id = $1 AND attempts = $2 AND state = 'sending'
          RETURNING id
       )
       INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status, error, response_body)
       SELECT id, $2, $7, $8, $5, $6, $9 FROM settled`,
      [
        row.id,
        row.attempts,
        outcome.state,
        outcome.state === 'pending' ? outcome.at : null,
        sent?.status ?? null,
        sent?.error ?? ('error' in outcome ? (outcome.error ?? null) : null),
        started,
        sent?.durationMs ?? 0,
        sent?.body ?? null,
      ],
    );
  }
}
