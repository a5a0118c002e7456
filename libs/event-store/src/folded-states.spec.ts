import { FoldedStates, StateCache } from './folded-states';
import { StoredEvent } from './event-store.types';

const event = (streamId: string, version: number, n: number): StoredEvent =>
  Object.freeze({
    eventId: `${streamId}-${version}`,
    streamId,
    version,
    type: 'Added',
    schemaVersion: 1,
    data: { n },
    metadata: {},
    occurredAt: '2026-12-01T00:00:00.000Z',
    recordedAt: '2026-12-01T00:00:00.000Z',
    globalPosition: version,
    transactionId: '1',
    hash: '',
    signature: null,
  });

const sum = () => new FoldedStates<number>({ initial: () => 0, evolve: (s, e) => s + (e.data as { n: number }).n }, 2);

describe('FoldedStates', () => {
  it('given a cached state, when the next events arrive, then it folds only those and remembers the version', () => {
    const states = sum();
    const first = states.advance('a', { state: 0, version: 0 }, [event('a', 1, 5), event('a', 2, 7)]);
    expect(first).toEqual({ state: 12, version: 2 });
    expect(states.advance('a', states.peek('a')!, [event('a', 3, 1)])).toEqual({ state: 13, version: 3 });
    expect(states.peek('a')).toEqual({ state: 13, version: 3 });
  });

  it('refuses events that do not follow the state it starts from (a hole would fold a wrong state)', () => {
    expect(() => sum().advance('a', { state: 0, version: 1 }, [event('a', 3, 1)])).toThrow(/does not follow/);
  });

  it('keeps the most recently used streams within its bound, and nothing for a stream with no events', () => {
    const states = sum();
    states.advance('a', { state: 0, version: 0 }, [event('a', 1, 1)]);
    states.advance('b', { state: 0, version: 0 }, [event('b', 1, 1)]);
    states.advance('c', { state: 0, version: 0 }, []);
    expect(states.size).toBe(2);
    states.remember('a', { state: 1, version: 1 });
    states.advance('d', { state: 0, version: 0 }, [event('d', 1, 1)]);
    expect([states.peek('a'), states.peek('b'), states.peek('d')]).toEqual([{ state: 1, version: 1 }, undefined, { state: 1, version: 1 }]);
  });

  it('given one StateCache shared by two views, then a fold remembered by one is found by the other at that exact version', () => {
    const cache = new StateCache(10);
    const commands = cache.of<number>({ initial: () => 0, evolve: (s, e) => s + (e.data as { n: number }).n });
    const projections = cache.of<number>({ initial: () => 0, evolve: (s, e) => s + (e.data as { n: number }).n });
    commands.remember('a', { state: 12, version: 2 });
    expect(projections.at('a', 2)).toEqual({ state: 12, version: 2 });
    expect(projections.at('a', 1)).toBeUndefined();
  });

  it('keeps the two newest versions of a stream: a reader a step behind still finds its start, never a fold beyond what it asks', () => {
    const cache = new StateCache(10);
    const states = cache.of<number>({ initial: () => 0, evolve: (s, e) => s + (e.data as { n: number }).n });
    states.advance('a', { state: 0, version: 0 }, [event('a', 1, 5)]);
    states.advance('a', states.peek('a')!, [event('a', 2, 7)]);
    states.advance('a', states.peek('a')!, [event('a', 3, 1)]);
    expect(cache.size).toBe(2);
    expect(states.at('a', 1)).toBeUndefined();
    expect(states.at('a', 2)).toEqual({ state: 12, version: 2 });
    expect(states.before('a', 3)).toEqual({ state: 12, version: 2 });
    expect(states.before('a', 2)).toBeUndefined();
    expect(states.peek('a')).toEqual({ state: 13, version: 3 });
  });
});
