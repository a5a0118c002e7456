import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent } from '@app/domain';
import { AppendManyResult, EventMetadata, Folded, FoldedStates, PostgresEventStore, StoredEvent, StreamAppend, WrongExpectedVersionError } from '@app/event-store';
import { concurrencyConflict } from '../http/api-errors';
import { Aggregate } from './aggregates';
import { KeyedMutex } from './keyed-mutex';

/** Loads the states of these keys and locks their streams until the command's transaction ends. */
export type Loader<S> = (keys: readonly string[]) => Promise<ReadonlyMap<string, S>>;

/** What a command decided: events per stream (none: the stream is left as it is) and what the caller is told. */
export interface Decision<E, O> {
  readonly streams: readonly { readonly key: string; readonly events: readonly E[] }[];
  readonly outcome: O;
}

export interface CommandRun<S, E extends DomainEvent, O> {
  readonly aggregate: Aggregate<S, E>;
  /** The key most commands contend on: queued in-process behind the others on it. */
  readonly primary: string;
  /** Loads what it reads (every key it loads stays locked) and decides, inside the command's transaction. */
  readonly decide: (load: Loader<S>, tx: EntityManager, now: Date) => Promise<Decision<E, O>>;
  readonly metadata: EventMetadata;
  /** A client-chosen key (a scan id): a retry gets the first result back without deciding again. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}

/** A command's result in the domain's terms; also what a retry of it gets back. */
export interface CommandResult<O> {
  readonly outcome: O;
  /** The highest global position written (or the first stream's last one): pass it as ?atLeast=. */
  readonly position: number;
  readonly streams: readonly { readonly key: string; readonly version: number; readonly events: readonly { readonly type: string; readonly version: number }[] }[];
}

/** What the command did; `legacy` is an answer recorded by code from before results were (an HTTP status and body). */
export type Executed<O> =
  | { readonly kind: 'executed'; readonly result: CommandResult<O>; readonly replayed: boolean }
  | { readonly kind: 'legacy'; readonly status: number; readonly body: unknown };

/** Folded states kept per kind of aggregate: the hot lots of a day, at a few kB each. */
const STATE_CACHE_SIZE = 20_000;

/** Optimistic retries when another process created a stream first or two commands locked in crossed order. */
const MAX_ATTEMPTS = 12;
const backoffMs = (attempt: number): number => Math.random() * Math.min(250, 5 * 2 ** attempt);
const DEADLOCK = '40P01';
const codeOf = (e: unknown): string | undefined => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.driverError?.code ?? err?.code;
};
const isIdempotencyRace = (e: unknown): boolean =>
  codeOf(e) === '23505' && (e as { driverError?: { constraint?: string } })?.driverError?.constraint === 'idempotency_keys_pkey';

/** When a domain event carries its real-world time, the envelope's occurredAt is that time. */
const occurredAtOf = (event: DomainEvent): string | undefined => {
  const data = event.data as { occurredAt?: unknown; enteredAt?: unknown };
  const t = data.occurredAt ?? data.enteredAt;
  return typeof t === 'string' ? t : undefined;
};

const resultOf = <O>(outcome: O, keyOf: (streamId: string) => string, appended: AppendManyResult): CommandResult<O> => ({
  outcome,
  position: appended.position,
  streams: appended.streams.map((s) => ({ key: keyOf(s.streamId), version: s.nextVersion, events: s.events.map((e) => ({ type: e.type, version: e.version })) })),
});

const toExecuted = <O>(recorded: unknown, replayed: boolean): Executed<O> => {
  const r = recorded as { status?: unknown; body?: unknown; outcome?: unknown };
  if (!('outcome' in (r ?? {})) && typeof r?.status === 'number') return { kind: 'legacy', status: r.status, body: r.body };
  return { kind: 'executed', result: recorded as CommandResult<O>, replayed };
};

/**
 * The one way commands change state, for one stream or thousands: load and
 * lock what the decision reads (in one order, so overlapping commands cannot
 * deadlock for long), decide with the pure domain, append every stream in the
 * same transaction, record the result under the idempotency key. A stream
 * created by another process meanwhile, or crossed locks, retry with backoff;
 * a retry of the same request gets the first result.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(KeyedMutex) private readonly mutex: KeyedMutex,
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  private readonly states = new Map<string, FoldedStates<unknown>>();

  private statesOf<S, E extends DomainEvent>(aggregate: Aggregate<S, E>): FoldedStates<S> {
    let states = this.states.get(aggregate.streamType);
    if (!states) {
      const fold = { initial: aggregate.initialState, evolve: (s: S, e: StoredEvent) => aggregate.evolve(s, aggregate.toEvent(e)) };
      states = new FoldedStates<S>(fold, STATE_CACHE_SIZE) as FoldedStates<unknown>;
      this.states.set(aggregate.streamType, states);
    }
    return states as FoldedStates<S>;
  }

  /** Once committed (never before: a rolled-back append must not be remembered), the states after this command's events. */
  private rememberCommitted<S, E extends DomainEvent>(aggregate: Aggregate<S, E>, loaded: ReadonlyMap<string, Folded<S>>, events: readonly StoredEvent[]): void {
    const states = this.statesOf(aggregate);
    const byStream = new Map<string, StoredEvent[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    for (const [key, from] of loaded) {
      const streamId = aggregate.streamId(key);
      const appended = byStream.get(streamId);
      if (appended) states.advance(streamId, from, appended);
    }
  }

  execute<S, E extends DomainEvent, O>(run: CommandRun<S, E, O>): Promise<Executed<O>> {
    return this.mutex.run(run.aggregate.streamId(run.primary), () => this.attempt(run));
  }

  private async attempt<S, E extends DomainEvent, O>(run: CommandRun<S, E, O>): Promise<Executed<O>> {
    const { aggregate, idempotency } = run;
    if (idempotency) {
      const earlier = await this.store.findRecorded(idempotency.key, idempotency.requestHash);
      if (earlier) return toExecuted<O>(earlier, true);
    }
    const keyOf = new Map<string, string>();
    for (let attempt = 1; ; attempt++) {
      try {
        const done = await this.dataSource.transaction(async (tx) => {
          const loaded = new Map<string, Folded<S>>();
          const load: Loader<S> = async (keys) => {
            const missing = [...new Set(keys)].filter((k) => !loaded.has(k)).sort();
            const ids = missing.map(aggregate.streamId);
            // The lock answers each stream's version: a cached state at that version is read from no table.
            const versions = await this.store.lockStreams(ids, tx);
            const folded = await this.statesOf(aggregate).load(tx, ids.map((id) => ({ streamId: id, upTo: versions.get(id) ?? 0 })));
            for (const key of missing) loaded.set(key, folded.get(aggregate.streamId(key))!);
            return new Map(keys.map((k) => [k, loaded.get(k)!.state]));
          };
          const decision = await run.decide(load, tx, new Date());
          const appends: StreamAppend[] = decision.streams.map((s) => {
            const streamId = aggregate.streamId(s.key);
            keyOf.set(streamId, s.key);
            return {
              streamId,
              streamType: aggregate.streamType,
              expectedVersion: loaded.get(s.key)?.version ?? 0,
              events: s.events.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: run.metadata, occurredAt: occurredAtOf(e) })),
            };
          });
          const record = (r: AppendManyResult) => resultOf(decision.outcome, (id) => keyOf.get(id) ?? id, r);
          const appended = await this.store.appendManyWithin(tx, appends, { idempotency: idempotency && { ...idempotency, record } });
          return { appended, record, loaded };
        });
        if (done.appended.kind === 'replayed') return toExecuted<O>(done.appended.recorded, true);
        if (done.appended.result.events.length > 0) this.store.appended.notify();
        this.rememberCommitted(aggregate, done.loaded, done.appended.result.events);
        return { kind: 'executed', result: done.appended.recorded ?? done.record(done.appended.result), replayed: false };
      } catch (e) {
        if (idempotency && isIdempotencyRace(e)) {
          const earlier = await this.store.findRecorded(idempotency.key, idempotency.requestHash);
          if (earlier) return toExecuted<O>(earlier, true);
        }
        if (!(e instanceof WrongExpectedVersionError) && codeOf(e) !== DEADLOCK) throw e;
        if (attempt >= MAX_ATTEMPTS) throw concurrencyConflict(e instanceof WrongExpectedVersionError ? e.streamId : run.primary, attempt);
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }
}
