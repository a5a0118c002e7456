import { AppendSignal } from './append-signal';
import { CheckpointedSubscription } from './checkpointed-subscription';

export interface WorkerLogger {
  error(message: string, trace?: string): void;
  log?(message: string): void;
}

/** A failure that keeps repeating is logged again only this often (a database outage would log one a retry). */
const REPEAT_LOG_EVERY_MS = 60_000;

export interface WorkerOptions {
  /** How long to sleep when idle before looking again (events written by other processes). */
  readonly pollIntervalMs: number;
  /** Pause after a failed batch before retrying it. */
  readonly retryDelayMs: number;
}

/**
 * The failures of a retrying loop, logged without flooding: the first, a
 * different one, or a reminder while it lasts, and the recovery once.
 */
export class FailureLog {
  lastError: string | null = null;
  private failingSince: number | null = null;
  private lastLogged = 0;
  private failures = 0;

  constructor(private readonly logger: WorkerLogger) {}

  succeeded(subscriptionId: string): void {
    if (this.failingSince !== null) {
      this.logger.log?.(`subscription ${subscriptionId} recovered after ${this.failures} failed attempt(s) in ${Date.now() - this.failingSince} ms`);
      this.failingSince = null;
      this.failures = 0;
    }
    this.lastError = null;
  }

  failed(subscriptionId: string, err: Error): void {
    const now = Date.now();
    this.failures++;
    this.failingSince ??= now;
    // The first failure, a different one, or a reminder while it lasts; health and readiness show it meanwhile.
    if (err.message !== this.lastError || now - this.lastLogged >= REPEAT_LOG_EVERY_MS) {
      const repeated = this.failures > 1 ? ` (failing for ${now - this.failingSince} ms, ${this.failures} attempts)` : '';
      this.logger.error(`subscription ${subscriptionId} failed: ${err.message}${repeated}`, err.stack);
      this.lastLogged = now;
    }
    this.lastError = err.message;
  }
}

/** Keeps a subscription caught up: processes batches, sleeps on idle until woken or polled. */
export class SubscriptionWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly failures: FailureLog;

  constructor(
    readonly subscription: CheckpointedSubscription,
    private readonly signal: AppendSignal,
    private readonly options: WorkerOptions,
    logger: WorkerLogger,
  ) {
    this.failures = new FailureLog(logger);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.signal.notify();
    await this.loop;
    this.loop = null;
  }

  get health(): { running: boolean; lastError: string | null } {
    return { running: this.running, lastError: this.failures.lastError };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.subscription.processBatch();
        this.failures.succeeded(this.subscription.id);
        if (handled === 0) await this.signal.wait(this.options.pollIntervalMs);
      } catch (e) {
        this.failures.failed(this.subscription.id, e as Error);
        await this.signal.wait(this.options.retryDelayMs);
      }
    }
  }
}
