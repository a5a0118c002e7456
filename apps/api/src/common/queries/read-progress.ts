import { PROGRESS, ProjectionRunner, ReadModelChanges } from '@app/read-models';

/** Has a read model processed the event at this global position? How depends on the transport. */
export interface ReadProgress {
  hasProcessed(projection: string, position: number): Promise<boolean>;
  /** Waits (at most `timeoutMs`) until it has; resolves to whether it did. */
  waitFor(projection: string, position: number, timeoutMs: number): Promise<boolean>;
}

export const READ_PROGRESS = Symbol('READ_PROGRESS');

/** While progress is heard, a waiter still looks again this often: a safety net, not the way it learns. */
const SAFETY_RECHECK_MS = 1_000;
/** While it is not heard (the listener is down), a waiter polls. */
const DEAF_POLL_MS = 20;

/**
 * Waiters woken, not polling: by this process's runner when a batch it
 * committed carried their position, and by the progress every projecting
 * transaction announces (NOTIFY, from any process: another api, the Kafka
 * projector), on which each looks at its projection's progress again.
 */
export class ProgressWaits implements ReadProgress {
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly check: (projection: string, position: number) => Promise<boolean>,
    private readonly changes: ReadModelChanges,
    private readonly runner: ProjectionRunner | null,
  ) {
    changes.subscribe(PROGRESS, () => {
      const waiting = [...this.wakers];
      this.wakers.clear();
      for (const wake of waiting) wake();
    });
  }

  hasProcessed(projection: string, position: number): Promise<boolean> {
    return this.check(projection, position);
  }

  async waitFor(projection: string, position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const local = this.runner?.whenProcessed(position);
    let wake: () => void = () => undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      for (;;) {
        // Listening before looking: progress announced between the two is not missed.
        const woken = new Promise<boolean>((resolve) => this.wakers.add((wake = () => resolve(false))));
        if (await this.check(projection, position)) return true;
        const left = deadline - Date.now();
        if (left <= 0) return false;
        const pause = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.min(left, this.changes.live ? SAFETY_RECHECK_MS : DEAF_POLL_MS))));
        const done = await Promise.race([woken, pause, ...(local ? [local.done.then(() => true)] : [])]);
        clearTimeout(timer);
        this.wakers.delete(wake);
        if (done) return true;
      }
    } finally {
      clearTimeout(timer);
      this.wakers.delete(wake);
      local?.cancel();
    }
  }
}
