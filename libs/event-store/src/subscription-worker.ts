import { AppendSignal } from './append-signal';
import { CheckpointedSubscription } from './checkpointed-subscription';

export interface WorkerLogger {
  error(message: string, trace?: string): void;
}

export interface WorkerOptions {
  /** How long to sleep when idle before looking again (events written by other processes). */
  readonly pollIntervalMs: number;
  /** Pause after a failed batch before retrying it. */
  readonly retryDelayMs: number;
}

/** Keeps a subscription caught up: processes batches, sleeps on idle until woken or polled. */
export class SubscriptionWorker {
  private running = false;
  private loop: Promise<void> | null = null;
  private lastError: string | null = null;

  constructor(
    readonly subscription: CheckpointedSubscription,
    private readonly signal: AppendSignal,
    private readonly options: WorkerOptions,
    private readonly logger: WorkerLogger,
  ) {}

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
    return { running: this.running, lastError: this.lastError };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.subscription.processBatch();
        this.lastError = null;
        if (handled === 0) await this.signal.wait(this.options.pollIntervalMs);
      } catch (e) {
        const err = e as Error;
        this.lastError = err.message;
        this.logger.error(`subscription ${this.subscription.id} failed: ${err.message}`, err.stack);
        await this.signal.wait(this.options.retryDelayMs);
      }
    }
  }
}
