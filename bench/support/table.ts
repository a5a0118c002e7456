import { cpus } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mib, ms } from './stats';

/** One side of a row as measured: its figure, p99 latency and peak RSS (cells already formatted). */
export interface Cells {
  value: string;
  p99?: string;
  peak?: string;
}

/** One line of issue 17's table. `met` is null where the row could not be judged (not served, failed). */
export interface Row {
  /** Where it stands in the table (issue 17's numbering: '1', '4a', '6c', ...): rows print in this order, whenever they were measured. */
  key: string;
  path: string;
  measured: Cells;
  baseline: Cells;
  ratio: string;
  target: string;
  met: boolean | null;
}

const HEADER = ['path', 'measured', 'p99', 'peak RSS', 'baseline', 'p99', 'peak RSS', 'ratio', 'target', 'met'];

/** Formats a p99 (ms) and a peak (bytes) for the cells. */
export const side = (value: string, p99: number | null = null, peak: number | null = null): Cells => ({ value, p99: ms(p99), peak: mib(peak) });

/** The table the whole run prints once, with the notes that explain its rows. */
export class Table {
  private readonly rows: Row[] = [];
  readonly notes: string[] = [];
  private readonly started = Date.now();

  add(...rows: Row[]): void {
    this.rows.push(...rows);
    // The table so far, on disk: a run stopped part-way still leaves the rows it measured.
    this.write('table.partial.txt', this.render());
  }

  private write(file: string, text: string): void {
    mkdirSync(join(__dirname, '..', 'results'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'results', file), `${text}\n`);
  }

  note(...lines: string[]): void {
    this.notes.push(...lines);
  }

  /**
   * Runs one row's measurement; if it throws, the table still gets a line for
   * `path` saying it failed (and the error goes on to fail the test).
   */
  async measure(key: string, path: string, target: string, f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      this.add({ key, path, measured: { value: 'FAILED' }, baseline: { value: '-' }, ratio: '-', target, met: null });
      this.note(`${path}: failed: ${(e as Error).message.split('\n')[0].slice(0, 300)}`);
      throw e;
    }
  }

  render(): string {
    const cells = (r: Row) => [
      `${r.key.padEnd(3)} ${r.path}`,
      r.measured.value,
      r.measured.p99 ?? '-',
      r.measured.peak ?? '-',
      r.baseline.value,
      r.baseline.p99 ?? '-',
      r.baseline.peak ?? '-',
      r.ratio,
      r.target,
      r.met === null ? '-' : r.met ? 'yes' : 'NO',
    ];
    const sorted = [...this.rows].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
    const all = [HEADER, ...sorted.map(cells)];
    const widths = HEADER.map((_, c) => Math.max(...all.map((l) => l[c].length)));
    const fmt = (l: string[]) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
    return [fmt(HEADER), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(fmt)].join('\n');
  }

  /** Prints the table with its notes and writes it to bench/results/<file>. */
  print(title: string, settings: string, file: string): void {
    const cpu = cpus();
    const text = [
      `${title}, ${new Date().toISOString()}`,
      `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, node ${process.version}; ${settings}`,
      '',
      this.render(),
      '',
      ...this.notes.map((n) => `- ${n}`),
      `- whole run: ${((Date.now() - this.started) / 1000).toFixed(0)} s`,
    ].join('\n');
    console.log(text);
    this.write(file, text);
  }
}
