/** The shape every aggregate follows: state is a left fold of its events. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly schemaVersion: number;
  readonly data: TData;
}

export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  readonly initialState: () => TState;
  readonly evolve: (state: TState, event: TEvent) => TState;
  readonly decide: (command: TCommand, state: TState, now: Date) => TEvent[];
}

export const fold = <TEvent, TState>(
  evolve: (state: TState, event: TEvent) => TState,
  initial: TState,
  events: readonly TEvent[],
): TState => events.reduce(evolve, initial);
