import { Decider, DomainEvent } from '../shared/decider';
import { conflict } from '../shared/domain-error';
import { given, history } from './given-when-then';

/** A toy counter, so the helper is tested on its own and not through the domain it checks. */
type Added = DomainEvent<'Added', { by: number }>;
interface Add {
  readonly type: 'Add';
  readonly by: number;
}
interface Counter {
  readonly total: number;
  readonly tags: string[];
}

const counter: Decider<Add, Added, Counter> = {
  initialState: () => ({ total: 0, tags: [] }),
  evolve: (state, event) => ({ ...state, total: state.total + event.data.by }),
  decide: (command, state) => {
    if (command.by === 0) return [];
    if (state.total + command.by > 10) throw conflict('TOO_MUCH', 'over ten', { total: state.total, limit: 10 });
    if (command.by < 0) throw new RangeError('negative');
    return [{ type: 'Added', schemaVersion: 1, data: { by: command.by } }];
  },
};
const added = (by: number): Added => ({ type: 'Added', schemaVersion: 1, data: { by } });
const now = new Date('2022-04-01T00:00:00.000Z');

describe('given / when / then', () => {
  it('passes when the decided events are exactly the expected ones, and returns them', () => {
    expect(given(counter, [added(2)]).when({ type: 'Add', by: 3 }, now).then([added(3)])).toEqual([added(3)]);
    given(counter).when({ type: 'Add', by: 0 }, now).then([]);
  });

  it('fails when the decided events differ', () => {
    expect(() => given(counter).when({ type: 'Add', by: 3 }, now).then([added(4)])).toThrow();
    expect(() => given(counter).when({ type: 'Add', by: 3 }, now).then([])).toThrow();
  });

  it('fails then() when the command is refused, with the domain error', () => {
    expect(() => given(counter, [added(9)]).when({ type: 'Add', by: 3 }, now).then([])).toThrow('over ten');
  });

  it('thenThrows passes on the expected code and partial details, and returns the error', () => {
    const error = given(counter, [added(9)]).when({ type: 'Add', by: 3 }, now).thenThrows('TOO_MUCH', { limit: 10 });
    expect(error.details).toEqual({ total: 9, limit: 10 });
  });

  it('thenThrows fails on another code, other details, or an accepted command', () => {
    const refused = given(counter, [added(9)]).when({ type: 'Add', by: 3 }, now);
    expect(() => refused.thenThrows('OTHER')).toThrow(/expected DomainError OTHER, got TOO_MUCH/);
    expect(() => refused.thenThrows('TOO_MUCH', { limit: 11 })).toThrow(/details\.limit/);
    expect(() => refused.thenThrows('TOO_MUCH', { missing: 1 })).toThrow(/details\.missing/);
    expect(() => given(counter).when({ type: 'Add', by: 3 }, now).thenThrows('TOO_MUCH')).toThrow(/was accepted/);
  });

  it('rethrows errors that are not DomainErrors', () => {
    expect(() => given(counter).when({ type: 'Add', by: -1 }, now).thenThrows('TOO_MUCH')).toThrow(RangeError);
  });

  it('fails a decider that mutates the state it is given', () => {
    const mutating: Decider<Add, Added, Counter> = {
      ...counter,
      decide: (command, state) => {
        state.tags.push('touched');
        return counter.decide(command, state, now);
      },
    };
    expect(() => given(mutating).when({ type: 'Add', by: 1 }, now).then([added(1)])).toThrow(TypeError);
  });

  it('history runs commands through the decider and never changes earlier histories', () => {
    const one = history(counter).run({ type: 'Add', by: 4 }, now);
    const two = one.run({ type: 'Add', by: 5 }, now);
    expect(one.events).toEqual([added(4)]);
    expect(two.events).toEqual([added(4), added(5)]);
    expect(two.state.total).toBe(9);
    expect(() => two.run({ type: 'Add', by: 2 }, now)).toThrow('over ten');
  });
});
