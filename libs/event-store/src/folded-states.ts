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

export interface Fold<S> {
  readonly initial: () => S;
  readonly evolve: (state: S, event: StoredEvent) => S;
}

/** Versions kept per stream: the newest, and the one before (a projection a step behind the commands still finds its start). */
const VERSIONS_PER_STREAM = 2;

/**
 * The process's one cache of states folded from streams, shared by the
 * command side and the projections (stream ids name their kind, so one map
 * holds all). One rule keeps it true: an entry is a (stream, version) and
 * holds the fold of that stream's committed events up to that version; a
 * stream's events never change, so an entry never goes stale and is never
 * invalidated, only evicted (least recently used stream first, `capacity`
 * folds in all). Readers ask for the version they need.
 */
export class StateCache {
  private readonly streams = new Map<string, Folded<unknown>[]>();
  private folds = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.folds;
  }

  /** A typed view over this cache, folding with `fold`. */
  of<S>(fold: Fold<S>): FoldedStates<S> {
    return new FoldedStates(fold, this);
  }

  /** The fold at exactly `version`. */
  at<S>(streamId: string, version: number): Folded<S> | undefined {
    const kept = this.streams.get(streamId)?.find((f) => f.version === version) as Folded<S> | undefined;
    if (kept) this.touch(streamId);
    return kept;
  }

  /** The newest fold below `version` (any, for null): where a fold to `version` can start. */
  before<S>(streamId: string, version: number | null): Folded<S> | undefined {
    const kept = this.streams.get(streamId) ?? [];
    for (let i = kept.length - 1; i >= 0; i--) if (version === null || kept[i].version < version) return kept[i] as Folded<S>;
    return undefined;
  }

  newest<S>(streamId: string): Folded<S> | undefined {
    return this.streams.get(streamId)?.at(-1) as Folded<S> | undefined;
  }

  remember<S>(streamId: string, folded: Folded<S>): Folded<S> {
    if (this.capacity <= 0) return folded;
    const kept = (this.streams.get(streamId) ?? []).filter((f) => f.version !== folded.version);
    kept.push(folded);
    kept.sort((a, b) => a.version - b.version);
    const trimmed = kept.slice(-VERSIONS_PER_STREAM);
    this.folds += trimmed.length - (this.streams.get(streamId)?.length ?? 0);
    this.streams.delete(streamId);
    this.streams.set(streamId, trimmed);
    while (this.folds > this.capacity) this.forget(this.streams.keys().next().value!);
    return folded;
  }

  forget(streamId: string): void {
    this.folds -= this.streams.get(streamId)?.length ?? 0;
    this.streams.delete(streamId);
  }

  private touch(streamId: string): void {
    const kept = this.streams.get(streamId)!;
    this.streams.delete(streamId);
    this.streams.set(streamId, kept);
  }
}

/**
 * States of one kind of stream, folded with its `evolve`, kept in a
 * StateCache (the shared one, or one of its own when given a capacity): the
 * next fold of a stream reads only the events after the version it holds.
 */
export class FoldedStates<S> {
  private readonly cache: StateCache;

  constructor(
    private readonly fold: Fold<S>,
    cacheOrCapacity: StateCache | number,
  ) {
    this.cache = typeof cacheOrCapacity === 'number' ? new StateCache(cacheOrCapacity) : cacheOrCapacity;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Each target's state, reading from the events table only what the cache does not hold (one query). */
  async load(manager: EntityManager, targets: readonly FoldTarget[]): Promise<Map<string, Folded<S>>> {
    const out = new Map<string, Folded<S>>();
    const ranges: StreamRange[] = [];
    const start = new Map<string, Folded<S>>();
    for (const t of targets) {
      const exact = t.upTo === null ? undefined : this.cache.at<S>(t.streamId, t.upTo);
      if (exact) {
        out.set(t.streamId, exact);
        continue;
      }
      // Only a fold below the target is a start; without one, from the beginning.
      const from = this.cache.before<S>(t.streamId, t.upTo) ?? { state: this.fold.initial(), version: 0 };
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

  /** Remembers a fold of committed events (never of an append that may still roll back). */
  remember(streamId: string, folded: Folded<S>): Folded<S> {
    return this.cache.remember(streamId, folded);
  }

  /** The fold at exactly `version`, if kept. */
  at(streamId: string, version: number): Folded<S> | undefined {
    return this.cache.at<S>(streamId, version);
  }

  /** The newest fold kept below `version`: where a fold to it can start. */
  before(streamId: string, version: number): Folded<S> | undefined {
    return this.cache.before<S>(streamId, version);
  }

  /** The newest state kept, if any (for a caller that knows the stream's current version). */
  peek(streamId: string): Folded<S> | undefined {
    return this.cache.newest<S>(streamId);
  }

  forget(streamId: string): void {
    this.cache.forget(streamId);
  }
}
