import { Inject, Injectable } from '@nestjs/common';
import { Decider, DomainEvent, fold } from '@app/domain';
import {
  AppendResult,
  EventMetadata,
  PostgresEventStore,
  StoredEvent,
  StoredResponse,
  WrongExpectedVersionError,
} from '@app/event-store';
import { concurrencyConflict } from '../http/api-errors';
import { KeyedMutex } from './keyed-mutex';

export interface ExecuteArgs<C, E extends DomainEvent, S, T> {
  readonly streamId: string;
  readonly streamType: string;
  readonly decider: Decider<C, E, S>;
  readonly toEvent: (stored: StoredEvent) => E;
  readonly command: C;
  readonly metadata: EventMetadata;
  /** A client-chosen key (e.g. a scan id): a retry returns the first answer without deciding again. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** Builds the answer; `after` is the aggregate's state with the decided events applied. */
  readonly respond: (result: AppendResult, decided: readonly E[], after: S) => StoredResponse<T>;
}

export interface ExecuteOutcome<T> {
  readonly response: StoredResponse<T>;
  readonly replayed: boolean;
}

/** Optimistic retries when another process appended first; with jittered exponential backoff this rides out heavy contention. */
const MAX_ATTEMPTS = 12;
const backoffMs = (attempt: number): number => Math.random() * Math.min(250, 5 * 2 ** attempt);

/** When a domain event carries its real-world time, the envelope's occurredAt is that time. */
const occurredAtOf = (event: DomainEvent): string | undefined => {
  const data = event.data as { occurredAt?: unknown; enteredAt?: unknown };
  const t = data.occurredAt ?? data.enteredAt;
  return typeof t === 'string' ? t : undefined;
};

/**
 * Load -> decide -> append, the only way commands change state. Rules live in
 * the decider; this retries on a concurrent append (commands are re-decided on
 * fresh state) and keeps each command's first answer for its retries.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(KeyedMutex) private readonly mutex: KeyedMutex,
  ) {}

  async execute<C, E extends DomainEvent, S, T>(args: ExecuteArgs<C, E, S, T>): Promise<ExecuteOutcome<T>> {
    return this.mutex.run(args.streamId, async () => {
      if (args.idempotency) {
        const earlier = await this.store.findResponse<T>(args.idempotency.key, args.idempotency.requestHash);
        if (earlier) return { response: earlier, replayed: true };
      }
      for (let attempt = 1; ; attempt++) {
        const slice = await this.store.readStream(args.streamId);
        const state = fold(args.decider.evolve, args.decider.initialState(), slice.events.map(args.toEvent));
        const decided = args.decider.decide(args.command, state, new Date());
        const after = decided.reduce(args.decider.evolve, state);
        try {
          const outcome = await this.store.append(
            args.streamId,
            decided.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: args.metadata, occurredAt: occurredAtOf(e) })),
            {
              streamType: args.streamType,
              expectedVersion: slice.version,
              idempotency: args.idempotency && { ...args.idempotency, respond: (r) => args.respond(r, decided, after) },
            },
          );
          if (outcome.kind === 'replayed') return { response: outcome.response, replayed: true };
          return { response: outcome.response ?? args.respond(outcome.result, decided, after), replayed: false };
        } catch (e) {
          if (!(e instanceof WrongExpectedVersionError)) throw e;
          if (attempt >= MAX_ATTEMPTS) throw concurrencyConflict(args.streamId, attempt);
          // Another process wrote first: back off a little, then decide again on fresh state.
          await new Promise((r) => setTimeout(r, backoffMs(attempt)));
        }
      }
    });
  }

  /** The current state of a stream, for validations that need another aggregate (e.g. a facility). */
  async load<E extends DomainEvent, S>(streamId: string, decider: Pick<Decider<never, E, S>, 'evolve' | 'initialState'>, toEvent: (s: StoredEvent) => E): Promise<{ state: S; version: number }> {
    const slice = await this.store.readStream(streamId);
    return { state: fold(decider.evolve, decider.initialState(), slice.events.map(toEvent)), version: slice.version };
  }
}
