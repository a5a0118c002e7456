import { DataSource, EntityManager } from 'typeorm';
import { AppendSignal, FailureLog, MemberFailedError, PostgresEventStore, StoredEvent, SubscriptionGroup, WorkerLogger } from '@app/event-store';
import { Projection, subscriptionIdOf } from './projection';
import { announceProgress, deferAnnouncements, sendAnnouncements } from './read-model-changes';

/** What wakes the runner: every committed append, from any process (NOTIFY), and whether that is heard now. */
export interface AppendWakes {
  readonly live: boolean;
  onAppended(listener: (transactionId: string | null) => void): () => void;
}

export interface RunnerOptions {
  /** Sleep when idle while appends are not heard (the listener is down). */
  readonly pollIntervalMs: number;
  /** Pause after a failed batch before retrying it. */
  readonly retryDelayMs: number;
  /** After a wake, how long to let more appends gather before reading: close appends share a batch. */
  readonly debounceMs?: number;
  /** Sleep when idle while appends are heard: only a safety net for a lost notification. */
  readonly safetyPollMs?: number;
}

/** Events per batch: a recall of 10,000 lots is read in ten. */
const BATCH = 1_000;
const DEBOUNCE_MS = 2;
/**
 * Under load the debounce grows with the batch just read (this much per
 * event, up to MAX_DEBOUNCE_MS): a batch's statements cost the same for 30
 * events as for 100, and at 1,000 scans/s batches of ~30 spent a third of
 * the api's statements. A quiet runner keeps the short debounce.
 */
const DEBOUNCE_MS_PER_EVENT = 0.5;
const MAX_DEBOUNCE_MS = 25;
const SAFETY_POLL_MS = 5_000;
/** An append seen but not yet readable (an earlier appender still open) is looked for again this soon, then less often. */
const HELD_BACK_FIRST_MS = 20;
const HELD_BACK_MAX_MS = 1_000;

interface Waiter {
  readonly position: number;
  readonly resolve: () => void;
}

/**
 * The embedded read side: one loop reads the log once for every projection
 * and applies each batch to all of them in one transaction (a
 * SubscriptionGroup over their checkpoint rows, which normally stand
 * together). It sleeps until an append commits anywhere (NOTIFY, through
 * `wakes`; in-process appends also through the store's signal), lets close
 * appends gather for a few milliseconds, and reads until it has seen what is
 * visible. `?atLeast=` waiters are told when a committed batch carried their
 * position.
 */
export class ProjectionRunner {
  private readonly group: SubscriptionGroup;
  private running = false;
  private loop: Promise<void> | null = null;
  private failures: FailureLog | null = null;
  /** The member whose handler failed last (null: the batch failed elsewhere, e.g. the database). */
  private failing: string | null = null;
  private readonly waiters = new Set<Waiter>();
  private dirty = false;
  private wake: (() => void) | null = null;
  private heard = 0n;
  private read = 0n;
  private unlisten: (() => void) | null = null;
  private signal: AppendSignal | null = null;

  constructor(
    readonly projections: readonly Projection[],
    store: PostgresEventStore,
    dataSource: DataSource,
    private readonly wakes: AppendWakes | null,
  ) {
    // The batch's announcements (each projection's rows, and the progress) go in one statement at its end.
    // Read without signatures: no projection stores them (history joins them at read time).
    const members = projections.map((p) => ({
      id: subscriptionIdOf(p),
      handler: (events: StoredEvent[], manager: EntityManager) => {
        deferAnnouncements(manager);
        return p.apply(events, manager);
      },
    }));
    this.group = new SubscriptionGroup(members, store, dataSource, BATCH, async (_events, manager) => {
      await announceProgress(manager);
      await sendAnnouncements(manager);
    }, false);
  }

  start(signal: AppendSignal, options: RunnerOptions, logger: WorkerLogger): void {
    if (this.running) return;
    this.running = true;
    this.failures = new FailureLog(logger);
    this.unlisten = this.wakes?.onAppended((xid) => this.woken(xid)) ?? null;
    this.signal = signal;
    void this.followSignal(signal);
    this.loop = this.run(options);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unlisten?.();
    this.unlisten = null;
    this.woken(null);
    this.signal?.notify();
    await this.loop;
    this.loop = null;
  }

  /** Per projection's subscription id: running, and the error of the batches that fail on it. */
  health(): Record<string, { running: boolean; lastError: string | null }> {
    const lastError = this.failures?.lastError ?? null;
    return Object.fromEntries(
      this.projections.map((p) => {
        const id = subscriptionIdOf(p);
        return [id, { running: this.running, lastError: this.failing === null || this.failing === id ? lastError : null }];
      }),
    );
  }

  /** Reads until nothing visible is left; resolves to the events read. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (let events = await this.batch(); events.length > 0; events = await this.batch()) total += events.length;
    return total;
  }

  /**
   * Resolves once a batch of this runner committed with the event at
   * `position`; `cancel` stops waiting. Register before checking the
   * checkpoint, so no batch can slip between the check and the wait.
   */
  whenProcessed(position: number): { readonly done: Promise<void>; cancel(): void } {
    let waiter!: Waiter;
    const done = new Promise<void>((resolve) => (waiter = { position, resolve }));
    this.waiters.add(waiter);
    return { done, cancel: () => this.waiters.delete(waiter) };
  }

  private async batch(): Promise<StoredEvent[]> {
    const events = await this.group.processBatch();
    if (events.length > 0) {
      const xid = BigInt(events[events.length - 1].transactionId);
      if (xid > this.read) this.read = xid;
      if (this.waiters.size > 0) this.settle(events);
    }
    return events;
  }

  private settle(events: readonly StoredEvent[]): void {
    const positions = new Set(events.map((e) => e.globalPosition));
    for (const w of this.waiters) {
      if (!positions.has(w.position)) continue;
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private woken(transactionId: string | null): void {
    if (transactionId !== null && /^\d+$/.test(transactionId)) {
      const xid = BigInt(transactionId);
      if (xid > this.heard) this.heard = xid;
    }
    this.dirty = true;
    this.wake?.();
  }

  private async followSignal(signal: AppendSignal): Promise<void> {
    while (this.running) {
      await signal.wait(60_000);
      if (this.running) this.woken(null);
    }
  }

  private async run(options: RunnerOptions): Promise<void> {
    const debounceMs = options.debounceMs ?? DEBOUNCE_MS;
    let heldBackMs = HELD_BACK_FIRST_MS;
    while (this.running) {
      this.dirty = false;
      try {
        const events = await this.batch();
        this.failing = null;
        this.failures!.succeeded(this.projections.map(subscriptionIdOf).join(', '));
        if (events.length >= this.group.batchSize) continue;
        // An append was heard that this read did not reach: an earlier appender still holds the horizon back.
        // Its commit will be heard too; its rollback would not, so look again soon.
        const heldBack = this.heard > this.read;
        const gather = Math.max(debounceMs, Math.min(MAX_DEBOUNCE_MS, events.length * DEBOUNCE_MS_PER_EVENT));
        await this.sleep(heldBack ? heldBackMs : this.wakes?.live ? (options.safetyPollMs ?? SAFETY_POLL_MS) : options.pollIntervalMs, gather);
        heldBackMs = heldBack ? Math.min(heldBackMs * 2, HELD_BACK_MAX_MS) : HELD_BACK_FIRST_MS;
      } catch (e) {
        const member = e instanceof MemberFailedError ? e.memberId : null;
        this.failing = member;
        this.failures!.failed(member ?? 'projection runner', e as Error);
        await this.sleep(options.retryDelayMs, null);
      }
    }
  }

  /** Until `ms` pass or, when `debounceMs` is given, an append is heard (then `debounceMs` more, for others to join). */
  private sleep(ms: number, debounceMs: number | null): Promise<void> {
    return new Promise((resolve) => {
      let debouncing: NodeJS.Timeout | null = null;
      const done = () => {
        clearTimeout(timer);
        if (debouncing) clearTimeout(debouncing);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = () => {
        if (!this.running) return done();
        if (debounceMs === null || debouncing) return;
        debouncing = setTimeout(done, debounceMs);
      };
      if (this.dirty || !this.running) this.wake();
    });
  }
}
