import type { Movement } from './lot.types';

/**
 * A lot's movements in recorded order, immutable as seen by every holder,
 * appended in O(1): each log is a view of the first `length` entries of a
 * backing array that only ever grows. Appending to the newest view of a
 * backing array pushes onto it, and the older views still see only their own
 * entries; appending to an older view (a state folded on twice, say a cached
 * one) copies its entries first. A scan used to copy the whole list, so its
 * cost grew with the lot's history.
 */
export class MovementLog implements Iterable<Movement> {
  static readonly EMPTY = new MovementLog([], 0);

  // Private fields: not properties, so equality checks and deepFreeze see none of the backing array.
  readonly #entries: Movement[];
  readonly #length: number;

  private constructor(entries: Movement[], length: number) {
    this.#entries = entries;
    this.#length = length;
  }

  static of(movements: readonly Movement[]): MovementLog {
    return new MovementLog([...movements], movements.length);
  }

  get length(): number {
    return this.#length;
  }

  /** This log with `m` after its entries: the same backing array when this is its newest view. */
  with(m: Movement): MovementLog {
    if (this.#entries.length === this.#length && this !== MovementLog.EMPTY) {
      this.#entries.push(m);
      return new MovementLog(this.#entries, this.#length + 1);
    }
    const entries = this.#entries.slice(0, this.#length);
    entries.push(m);
    return new MovementLog(entries, this.#length + 1);
  }

  *[Symbol.iterator](): Iterator<Movement> {
    for (let i = 0; i < this.#length; i++) yield this.#entries[i];
  }

  /** The entries as a new array (the caller's to keep). */
  toArray(): Movement[] {
    return this.#entries.slice(0, this.#length);
  }

  filter(keep: (m: Movement) => boolean): Movement[] {
    const out: Movement[] = [];
    for (let i = 0; i < this.#length; i++) if (keep(this.#entries[i])) out.push(this.#entries[i]);
    return out;
  }

  find(match: (m: Movement) => boolean): Movement | undefined {
    for (let i = 0; i < this.#length; i++) if (match(this.#entries[i])) return this.#entries[i];
    return undefined;
  }

  /** Calls `visit` on each entry in order (no iterator objects: the hot paths use this). */
  forEach(visit: (m: Movement) => void): void {
    for (let i = 0; i < this.#length; i++) visit(this.#entries[i]);
  }
}
