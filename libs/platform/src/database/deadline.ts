/** How long a command may wait on the database in all, unless COMMAND_DEADLINE_MS says otherwise. */
export const DEFAULT_COMMAND_DEADLINE_MS = 10_000;

/**
 * A command waited on the database for as long as its deadline allowed: its
 * turn on a lot, a connection, a lock or a statement. Answered as 503
 * DATABASE_UNAVAILABLE; nothing was recorded (the work it left stops before
 * committing).
 */
export class DatabaseDeadlineExceeded extends Error {
  override readonly name = 'DatabaseDeadlineExceeded';

  constructor(
    /** What it was waiting for when time ran out. */
    readonly waitingFor: string,
    readonly budgetMs: number,
  ) {
    super(`no answer within ${budgetMs} ms (waiting for ${waitingFor})`);
  }
}

/**
 * One time limit for everything a request waits for, so waits add up to it
 * instead of each having its own (a queue of 40 behind a stuck lock would
 * otherwise wait 40 statement timeouts). `none` never expires.
 */
export class Deadline {
  private constructor(
    private readonly at: number,
    readonly budgetMs: number,
  ) {}

  /** `budgetMs` from now; 0 = no limit. */
  static in(budgetMs: number, now = Date.now()): Deadline {
    return budgetMs > 0 ? new Deadline(now + budgetMs, budgetMs) : Deadline.none();
  }

  static none(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY, 0);
  }

  /** Milliseconds left (Infinity without a limit, 0 once past). */
  remainingMs(now = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  /** Throws DatabaseDeadlineExceeded once the time is up. */
  check(waitingFor: string): void {
    if (this.remainingMs() === 0) throw new DatabaseDeadlineExceeded(waitingFor, this.budgetMs);
  }

  /**
   * `work`, or DatabaseDeadlineExceeded when the time runs out first. The work
   * is not stopped by this (a promise cannot be): whoever runs it checks the
   * deadline before doing more, so it ends soon after without recording.
   */
  race<T>(work: Promise<T>, waitingFor: string): Promise<T> {
    const left = this.remainingMs();
    if (left === Number.POSITIVE_INFINITY) return work;
    // One promise settled by whichever comes first (a race of two and its finally made three more per command).
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new DatabaseDeadlineExceeded(waitingFor, this.budgetMs)), left);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}
