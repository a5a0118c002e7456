/**
 * Emmett-style given / when / then for any `Decider`:
 *
 *   given(lotDecider, history).when(command, now).then([...expectedEvents]);
 *   given(lotDecider, history).when(command, now).thenThrows('LOT_LOCKED', { field: 'x' });
 *
 * Framework-agnostic on purpose (node:assert, no jest globals): this folder is
 * not a *.spec.ts file, so the production build (types: node only) compiles it too.
 */
import { deepStrictEqual, fail, strictEqual } from 'node:assert/strict';
import { Decider, DomainEvent, fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

export interface Then<TEvent> {
  /** The command is accepted and decides exactly these events, in this order. Returns them. */
  then(expected: readonly TEvent[]): TEvent[];
  /**
   * The command is refused with a DomainError of this `code`. When `details` is given,
   * each of its keys must deep-equal the same key of `error.details` (other keys are ignored).
   * Returns the error for further checks.
   */
  thenThrows(code: string, details?: Readonly<Record<string, unknown>>): DomainError;
}

export interface When<TCommand, TEvent> {
  when(command: TCommand, now: Date): Then<TEvent>;
}

/**
 * Freeze a plain-JSON value in place so a decider that mutates its inputs (history,
 * folded state or command) fails loudly. Fixtures are immutable anyway, so freezing
 * them in place is harmless (and cloning would cross jest's realm boundary).
 */
export const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

export const given = <TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  events: readonly TEvent[] = [],
): When<TCommand, TEvent> => ({
  when: (command, now) => {
    const decide = (): TEvent[] => {
      const state = deepFreeze(fold(decider.evolve, decider.initialState(), deepFreeze(events)));
      return decider.decide(deepFreeze(command), state, now);
    };
    return {
      then: (expected) => {
        const actual = decide();
        deepStrictEqual(actual, [...expected]);
        return actual;
      },
      thenThrows: (code, details) => {
        let decided: TEvent[];
        try {
          decided = decide();
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          strictEqual(error.code, code, `expected DomainError ${code}, got ${error.code}: ${error.message}`);
          for (const [key, value] of Object.entries(details ?? {})) {
            deepStrictEqual(error.details?.[key], value, `DomainError ${code}: details.${key}`);
          }
          return error;
        }
        return fail(`expected DomainError ${code}, but the command was accepted with ${JSON.stringify(decided)}`);
      },
    };
  },
});

/**
 * An immutable event history built by running commands through the decider itself,
 * so fixtures are always events the domain would really produce.
 *
 *   const h = history(lotDecider).run(registerLot(), at(0)).run(attach(customs()), at(1));
 *   given(lotDecider, h.events).when(...)
 */
export class History<TCommand, TEvent extends DomainEvent, TState> {
  constructor(
    private readonly decider: Decider<TCommand, TEvent, TState>,
    readonly events: readonly TEvent[] = [],
  ) {}

  get state(): TState {
    return fold(this.decider.evolve, this.decider.initialState(), this.events);
  }

  /** Decide `command` at `now` against this history and append what it decides (refusals throw). */
  run(command: TCommand, now: Date): History<TCommand, TEvent, TState> {
    return this.append(this.decider.decide(command, this.state, now));
  }

  append(events: readonly TEvent[]): History<TCommand, TEvent, TState> {
    return new History(this.decider, [...this.events, ...events]);
  }
}

export const history = <TCommand, TEvent extends DomainEvent, TState>(
  decider: Decider<TCommand, TEvent, TState>,
  events: readonly TEvent[] = [],
): History<TCommand, TEvent, TState> => new History(decider, events);
