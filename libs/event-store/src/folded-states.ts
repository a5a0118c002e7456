import { EntityManager } from 'typeorm';
import { StoredEvent } from './event-store.types';
import { readStreamRanges, StreamRange } from './postgres-event-store';

export interface Folded<S> {
  readonly state: S;
  readonly version: number;
}

/** What to fold: a stream up to an exact version, or (upTo null) to its end. */
export interface FoldTarget {
  readonly streamId: string;
  readonly upTo: number | null;
}

/**
 * States folded from streams, kept for the version they were folded to. A
 * stream's events never change, so a state at version v stays true forever:
 * the next fold reads only the events after v. Bounded, least recently used
 * first out.
 */
export class FoldedStates<S> {
  private readonly entries = new Map<string, Folded<S>>();

  constructor(
    private readonly fold: { readonly initial: () => S; readonly evolve: (state: S, event: StoredEvent) => S },
    private readonly capacity: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Each target's state, reading from the events table only what the cache does not hold (one query). */
  async load(manager: EntityManager, targets: readonly FoldTarget[]): Promise<Map<string, Folded<S>>> {
    const out = new Map<string, Folded<S>>();
    const ranges: StreamRange[] = [];
    const start = new Map<string, Folded<S>>();
    for (const t of targets) {
      const cached = this.entries.get(t.streamId);
      if (cached && t.upTo !== null && cached.version === t.upTo) {
        out.set(t.streamId, this.touch(t.streamId, cached));
        continue;
      }
      // A cached state beyond the target is no start: fold that target from the beginning.
      const from = cached && (t.upTo === null || cached.version < t.upTo) ? cached : { state: this.fold.initial(), version: 0 };
      start.set(t.streamId, from);
      ranges.push({ streamId: t.streamId, after: from.version, upTo: t.upTo });
    }
    // A range with nothing in it (a stream not created yet) costs no query.
    const read = await readStreamRanges(manager, ranges.filter((r) => r.upTo === null || r.upTo > r.after));
    for (const r of ranges) {
      const folded = this.advance(r.streamId, start.get(r.streamId)!, read.get(r.streamId) ?? []);
      out.set(r.streamId, folded);
    }
    return out;
  }

  /** Folds events known to follow `from` (their stream's next versions) and remembers the result. */
  advance(streamId: string, from: Folded<S>, events: readonly StoredEvent[]): Folded<S> {
    let { state, version } = from;
    for (const e of events) {
      if (e.version !== version + 1) throw new Error(`stream ${streamId}: event version ${e.version} does not follow ${version}`);
      state = this.fold.evolve(state, e);
      version = e.version;
    }
    // A stream with no events yet is not worth a place.
    return version === 0 ? { state, version } : this.remember(streamId, { state, version });
  }

  remember(streamId: string, folded: Folded<S>): Folded<S> {
    if (this.capacity <= 0) return folded;
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return folded;
  }

  /** The cached state, if any (for a caller that knows the stream's current version). */
  peek(streamId: string): Folded<S> | undefined {
    return this.entries.get(streamId);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  private touch(streamId: string, folded: Folded<S>): Folded<S> {
    this.entries.delete(streamId);
    this.entries.set(streamId, folded);
    return folded;
  }
}
