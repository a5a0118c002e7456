/** Where a rebuild reports how far it has got. */
export interface RebuildLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** At most one progress line this often. */
const EVERY_MS = 5_000;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Events done, their rate, and the time left, estimated from the log's last
 * position (positions are dense but for rolled-back appends: close enough
 * for an estimate, and no count(*) over the whole log).
 */
export class RebuildProgress {
  private readonly started = Date.now();
  private lastLine = this.started;
  done = 0;

  constructor(
    private readonly logger: RebuildLogger,
    private readonly what: string,
    private readonly lastPosition: number,
    /** Told of every page instead of the log lines (a CLI's progress reporter): events done, and the log's last position as the total. */
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  advance(events: number, position: number): void {
    this.done += events;
    // A caller that reports progress itself (a CLI, on stderr) gets no second report in the log.
    if (this.onProgress) return this.onProgress(this.done, Math.max(this.lastPosition, this.done));
    const now = Date.now();
    if (now - this.lastLine < EVERY_MS) return;
    this.lastLine = now;
    const rate = this.done / ((now - this.started) / 1000);
    const left = Math.max(0, this.lastPosition - position);
    const eta = rate > 0 ? `, about ${int(left / rate)} s left` : '';
    this.logger.log(`rebuilding ${this.what}: ${int(this.done)} events done (to position ${int(position)} of ${int(this.lastPosition)}), ${int(rate)} events/s${eta}`);
  }

  finished(): string {
    const s = (Date.now() - this.started) / 1000;
    return `${int(this.done)} events in ${s.toFixed(1)} s (${int(this.done / Math.max(s, 0.001))} events/s)`;
  }
}
