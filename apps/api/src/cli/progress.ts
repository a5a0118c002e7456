/** The CLIs' one progress reporter: lines on stderr (stdout stays the CLI's answer), for people. */

/** A line at least this often while a job runs... */
export const PROGRESS_EVERY_MS = 2_000;
/** ...and at each quarter of a job this large (or larger), however fast it runs: a big job always shows it moves. */
export const PROGRESS_QUARTERS_FROM = 10_000;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

const duration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
};

export interface ProgressOptions {
  /** What is being done, e.g. `rebuild`. */
  readonly what: string;
  /** What is counted, e.g. `events`. */
  readonly unit: string;
  /** Where lines go; stderr. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * `rebuild: 40,000/100,000 events (40%), 21,000 events/s, about 3 s left`:
 * every PROGRESS_EVERY_MS, and at each quarter of a job of
 * PROGRESS_QUARTERS_FROM units or more. The total may be an estimate (the
 * last position of a log with gaps): done is shown as at most it.
 */
export class ProgressReporter {
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly started: number;
  private lastLine: number;
  private quarter = 0;
  private done = 0;
  private total = 0;
  lines = 0;

  constructor(private readonly options: ProgressOptions) {
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.lastLine = this.started;
  }

  /** Where the job is: `done` of `total` units. */
  update(done: number, total: number): void {
    this.done = done;
    this.total = total;
    const now = this.now();
    const quarter = total >= PROGRESS_QUARTERS_FROM ? Math.min(4, Math.floor((4 * done) / total)) : 0;
    const newQuarter = quarter > this.quarter && quarter < 4;
    if (quarter > this.quarter) this.quarter = quarter;
    if (!newQuarter && now - this.lastLine < PROGRESS_EVERY_MS) return;
    this.lastLine = now;
    this.write(this.line(now));
  }

  /** The last line: how much, how long, how fast (only when progress was shown, or `always`). */
  finish(always = false): void {
    if (this.lines === 0 && !always) return;
    const s = Math.max((this.now() - this.started) / 1000, 0.001);
    this.write(`${this.options.what}: ${int(this.done)} ${this.options.unit} done in ${s.toFixed(1)} s (${int(this.done / s)} ${this.options.unit}/s)`);
  }

  private line(now: number): string {
    this.lines++;
    const { what, unit } = this.options;
    const done = Math.min(this.done, this.total);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const percent = this.total > 0 ? ` (${Math.floor((100 * done) / this.total)}%)` : '';
    const left = rate > 0 ? `, about ${duration((this.total - done) / rate)} left` : '';
    return `${what}: ${int(done)}/${int(this.total)} ${unit}${percent}, ${int(rate)} ${unit}/s${left}`;
  }
}
