import type { ReadModelChanges } from '@app/read-models';

/**
 * Rows of one read model kept in memory, each dropped when the projection
 * that writes it announces the row changed (see announceChanged; delivered
 * at its commit, to every process). A read that started before any
 * announcement it overlaps is not kept: it may have seen the old row. While
 * the listener is down nothing is served from memory.
 */
export class RowCache<T> {
  private readonly rows = new Map<string, T>();
  private epoch = 0;

  constructor(
    private readonly changes: ReadModelChanges,
    table: string,
    private readonly capacity: number,
  ) {
    changes.subscribe(table, (keys) => {
      this.epoch++;
      if (keys === null) this.rows.clear();
      else for (const k of keys) this.rows.delete(k);
    });
  }

  /** The row from memory when unchanged since it was read (and the listener is live), else undefined. */
  peek(key: string): T | undefined {
    return this.changes.live ? this.rows.get(key) : undefined;
  }

  /** The row, from memory when unchanged since it was read, else by `load`; `fresh` always loads (read-your-writes). */
  async get(key: string, load: (key: string) => Promise<T | null>, fresh = false): Promise<T | null> {
    const live = this.changes.live;
    if (!fresh) {
      const hit = this.peek(key);
      if (hit !== undefined) return hit;
    }
    const epoch = this.epoch;
    const row = await load(key);
    if (row !== null && live && this.changes.live && epoch === this.epoch) {
      this.rows.delete(key);
      this.rows.set(key, row);
      if (this.rows.size > this.capacity) this.rows.delete(this.rows.keys().next().value!);
    }
    return row;
  }
}
