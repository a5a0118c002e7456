import type { EventEmitter } from 'node:events';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainEvent } from '@app/domain';
import {
  AppendManyResult,
  EventMetadata,
  Folded,
  FoldedStates,
  IdempotencyKeyReusedError,
  LockedStream,
  NewEvent,
  PostgresEventStore,
  RecordedResult,
  StateCache,
  StoredEvent,
  WrongExpectedVersionError,
} from '@app/event-store';
import { commitFailure, connectionBroken, ConnectionLost, DatabaseDeadlineExceeded, DEFAULT_COMMAND_DEADLINE_MS, DEFAULT_DATABASE_TIMEOUTS, Deadline } from '@app/platform';
import { ApiError, concurrencyConflict } from '../http/api-errors';
import { Aggregate } from './aggregates';

/** Loads the states of these keys and locks their streams until the command's transaction ends. */
export type Loader<S> = (keys: readonly string[]) => Promise<ReadonlyMap<string, S>>;

/** What a command decided: events per stream (none: the stream is left as it is) and what the caller is told. */
export interface Decision<E, O> {
  readonly streams: readonly { readonly key: string; readonly events: readonly E[] }[];
  readonly outcome: O;
  /**
   * Rows its events refer to that live in a table of their own (a temperature
   * upload's readings): written as soon as it is decided, in the transaction
   * that appends its events (both commit or neither does), so the next
   * command of the same transaction reads them.
   */
  readonly write?: (tx: EntityManager) => Promise<void>;
}

/** A command given as data, widened: the command with what it read inside the transaction, and every key it decides on. */
export interface Widened {
  readonly command: unknown;
  readonly reads: readonly string[];
  /** Streams (by id) the decider locked itself while reading, and where each stands: not locked again. */
  readonly locked?: ReadonlyMap<string, LockedStream>;
}

/**
 * An aggregate's own deciding code for commands given as data: it reads (and
 * locks, itself) what the command needs beyond the keys it names, then
 * decides on the states the executor loaded for what it read.
 */
export interface CommandDecider<S, E, O> {
  /** Answered at once (not a promise) when the command reads nothing beyond the keys it names: a batch of 1000 scans awaits nothing per scan. */
  widen(command: unknown, named: ReadonlyMap<string, S>, tx: EntityManager): Widened | Promise<Widened>;
  decide(command: unknown, states: ReadonlyMap<string, S>, now: Date): Decision<E, O>;
}

export interface CommandRun<S, E extends DomainEvent, O> {
  readonly aggregate: Aggregate<S, E>;
  /** The command's name (`RecordScan`, `RegisterFacility`, ...), as the metrics count it. */
  readonly type: string;
  /** The key most commands contend on: queued in-process behind the others on it. */
  readonly primary: string;
  /** Loads what it reads (every key it loads stays locked) and decides, inside the command's transaction. */
  readonly decide?: (load: Loader<S>, tx: EntityManager, now: Date) => Promise<Decision<E, O>>;
  /** Or the command as data, which `decider` widens and decides on the keys the executor loads: nothing calls back here. */
  readonly command?: unknown;
  readonly decider?: CommandDecider<S, E, O>;
  readonly metadata: EventMetadata;
  /** A client-chosen key (a scan id): a retry gets the first result back without deciding again. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** Keys it will read, when known before deciding: locked up front, with the rest of a batch, in one order. */
  readonly reads?: readonly string[];
  /**
   * Keys that are not streams (a document it attaches) which no other command
   * of its transaction, nor of one in flight beside it, may hold: what it
   * reads about them is written only when that transaction appends.
   */
  readonly exclusive?: readonly string[];
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

/**
 * How long a command may wait on the database in all (its turn on a lot, a
 * connection, locks, statements, retries), and the statement timeout every
 * pooled session already has (DB_STATEMENT_TIMEOUT_MS); 0 = no limit.
 */
export interface CommandLimits {
  readonly deadlineMs: number;
  readonly statementTimeoutMs: number;
}

export const COMMAND_LIMITS = Symbol('COMMAND_LIMITS');

export const DEFAULT_COMMAND_LIMITS: CommandLimits = { deadlineMs: DEFAULT_COMMAND_DEADLINE_MS, statementTimeoutMs: DEFAULT_DATABASE_TIMEOUTS.statementTimeoutMs };

/**
 * How far past the deadline a statement may run on the server before the
 * command bothers to shorten its statement timeout (one more round trip):
 * the caller has its answer at the deadline either way.
 */
const STATEMENT_SLACK_MS = 1000;

/** What TypeORM's runner holds: pg's pooled client (its `error` event, and `end` to close it). */
type PooledConnection = EventEmitter & { end(): Promise<void> };

/** Folded states kept when no process-wide StateCache is given (a CLI): the hot lots of a day, at a few kB each. */
const STATE_CACHE_SIZE = 20_000;

/** Optimistic retries when another process created a stream first or two commands locked in crossed order. */
const MAX_ATTEMPTS = 12;
/** A group that keeps conflicting is settled again one command at a time after these, so only what really conflicts ends in a 409. */
const GROUP_ATTEMPTS = 3;

/**
 * Group commit: commands that arrive while a group is in flight wait and
 * share the next transaction. The cap bounds a transaction's locks and
 * statement sizes; a few groups in flight keep the pool and the disk busy
 * while one waits on its COMMIT, but only one at a time is before its
 * COMMIT: the next group starts when the one deciding reaches it, so the
 * commands that came meanwhile share one transaction (two deciding side by
 * side split them: about 9 scans a transaction instead of 15 at 32
 * connections, and PostgreSQL's work per transaction is mostly fixed). A
 * group still deciding after SLOW_GROUP_MS (a recall, a lock wait) no
 * longer holds the next one back.
 */
export interface GroupCommitLimits {
  readonly maxCommands: number;
  readonly maxInFlight: number;
}

export const GROUP_COMMIT_LIMITS = Symbol('GROUP_COMMIT_LIMITS');

export const DEFAULT_GROUP_COMMIT_LIMITS: GroupCommitLimits = { maxCommands: 64, maxInFlight: 2 };
const SLOW_GROUP_MS = 25;
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

const toExecuted = <O>(recorded: unknown, replayed: boolean): Executed<O> => {
  const r = recorded as { status?: unknown; body?: unknown; outcome?: unknown };
  if (!('outcome' in (r ?? {})) && typeof r?.status === 'number') return { kind: 'legacy', status: r.status, body: r.body };
  return { kind: 'executed', result: recorded as CommandResult<O>, replayed };
};

/** A command of a batch the domain (or its idempotency key) refused; the others went ahead. */
export interface Refused {
  readonly kind: 'refused';
  readonly error: DomainError | IdempotencyKeyReusedError;
}

export type Settled<O> = Executed<O> | Refused;

/** An all-or-nothing batch stops at its refusals (by index): none of it is recorded. */
const throwIfRefused = (settled: readonly (Settled<unknown> | undefined)[]): void => {
  const refused = new Map<number, Refused>();
  settled.forEach((s, i) => {
    if (s?.kind === 'refused') refused.set(i, s);
  });
  if (refused.size > 0) throw new BatchRolledBack(refused);
};

/** Commands of an all-or-nothing batch decided between two turns of the event loop. */
const YIELD_EVERY = 250;

const isRefusal = (e: unknown): e is Refused['error'] => e instanceof DomainError || e instanceof IdempotencyKeyReusedError;

/**
 * An all-or-nothing batch of which some commands were refused: nothing was
 * recorded (its transaction rolled back). `refused` holds those commands'
 * refusals by their index in the batch.
 */
export class BatchRolledBack extends Error {
  constructor(readonly refused: ReadonlyMap<number, Refused>) {
    super(`${refused.size} command(s) of an all-or-nothing batch refused: nothing recorded`);
  }
}

/** Told how each command settled (or failed) and what was appended, once committed; the metrics listen here. */
export interface CommandObserver {
  settled(type: string, settled: Settled<unknown>): void;
  /** The command could not be settled (a conflict retried to the end, a database failure). */
  failed(type: string, error: unknown): void;
  appended(streamType: string, events: number): void;
  /** A transaction of commands committed, settling `commands` of them (group commit: usually more than one under load). */
  committed(commands: number): void;
}

export const COMMAND_OBSERVER = Symbol('COMMAND_OBSERVER');

const NO_OBSERVER: CommandObserver = { settled: () => undefined, failed: () => undefined, appended: () => undefined, committed: () => undefined };

/** Commands that came in together (one, or a batch's), waiting for a group; answered together. */
interface Waiting {
  readonly runs: readonly CommandRun<unknown, DomainEvent, unknown>[];
  /** The keys they decide on: no group in flight may hold one of them. */
  readonly keys: readonly string[];
  /** Of those, the ones no other command of the same group may hold either. */
  readonly exclusive: readonly string[];
  readonly deadline: Deadline;
  /** All or nothing: settled in a transaction of its own, which commits only when none of its commands is refused. */
  readonly allOrNothing: boolean;
  readonly resolve: (settled: Settled<unknown>[]) => void;
  readonly reject: (error: unknown) => void;
}

/** The commands of one kind of aggregate: those waiting in arrival order, the keys of the groups in flight. */
interface Lane {
  readonly aggregate: Aggregate<unknown, DomainEvent>;
  readonly waiting: Waiting[];
  readonly busy: Map<string, number>;
  inFlight: number;
  /** Of those in flight, the groups not yet at their COMMIT (at most one). */
  deciding: number;
}

const isConflictExhausted = (e: unknown): boolean => e instanceof ApiError && e.code === 'CONCURRENCY_CONFLICT';

/** One stream as the commands of a transaction leave it: where it started, where it is, what they added. */
interface Working<S> {
  readonly streamId: string;
  readonly from: Folded<S>;
  state: S;
  readonly events: NewEvent[];
}

/** A decided command: its outcome, and per stream it touched how many of that stream's new events are its own. */
interface Accepted<O> {
  readonly outcome: O;
  readonly streams: readonly { readonly key: string; readonly upTo: number; readonly count: number }[];
}

/**
 * The one way commands change state, for one stream or thousands, one
 * command or a batch of them: load and lock what the decisions read (in one
 * order, so overlapping transactions cannot deadlock for long), decide with
 * the pure domain (each command of a batch sees the ones before it), append
 * every stream in the same transaction, record each result under its
 * idempotency key. A stream created by another process meanwhile, a key
 * recorded meanwhile, or crossed locks retry with backoff; a retry of the
 * same request gets the first result.
 *
 * Every wait of a command draws on one deadline (COMMAND_DEADLINE_MS from
 * when it starts): the caller is answered 503 DATABASE_UNAVAILABLE when it
 * runs out, wherever the command is waiting, and the work left behind checks
 * it before each step and before COMMIT, so it records nothing after that.
 */
@Injectable()
export class CommandExecutor {
  private readonly states = new Map<string, FoldedStates<unknown>>();
  private readonly lanes = new Map<string, Lane>();

  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(COMMAND_OBSERVER) private readonly observer: CommandObserver = NO_OBSERVER,
    @Optional() @Inject(COMMAND_LIMITS) private readonly limits: CommandLimits = DEFAULT_COMMAND_LIMITS,
    @Optional() @Inject(GROUP_COMMIT_LIMITS) private readonly groups: GroupCommitLimits = DEFAULT_GROUP_COMMIT_LIMITS,
    @Optional() @Inject(StateCache) private readonly stateCache: StateCache = new StateCache(STATE_CACHE_SIZE),
  ) {}

  /** One command; the domain's refusal is thrown. Settled after the commands before it on the same key. */
  async execute<S, E extends DomainEvent, O>(run: CommandRun<S, E, O>): Promise<Executed<O>> {
    const deadline = Deadline.in(this.limits.deadlineMs);
    const key = run.aggregate.streamId(run.primary);
    // Its turn on the key counts against the deadline too: once past it, the turn does nothing.
    const [settled] = await this.observed([run], deadline.race(this.enqueue(run.aggregate, [run], deadline), `its turn on ${key} or the database`));
    if (settled.kind === 'refused') throw settled.error;
    return settled;
  }

  /**
   * Many commands settled each on its own, in one transaction (with whatever
   * else is waiting): a refused one does not stop the rest, commands on one
   * stream apply in array order. Every run names what it reads (`reads`), so
   * all are locked up front. `allOrNothing`: in a transaction shared with no
   * other caller's commands, committed only when none is refused; otherwise
   * nothing is recorded and BatchRolledBack names the refused ones.
   */
  executeAll<S, E extends DomainEvent, O>(aggregate: Aggregate<S, E>, runs: readonly CommandRun<S, E, O>[], options: { allOrNothing?: boolean } = {}): Promise<Settled<O>[]> {
    const deadline = Deadline.in(this.limits.deadlineMs);
    return this.observed(runs, deadline.race(this.enqueue(aggregate, runs, deadline, options.allOrNothing ?? false), 'the database'));
  }

  /** The one place every command settles: each is counted here, once, whichever way it went. */
  private async observed<O>(runs: readonly { readonly type: string }[], settling: Promise<Settled<O>[]>): Promise<Settled<O>[]> {
    let settled: Settled<O>[];
    try {
      settled = await settling;
    } catch (e) {
      // A rolled-back batch: its refused commands count as refused, the others as not recorded.
      runs.forEach((run, i) => {
        const refused = e instanceof BatchRolledBack ? e.refused.get(i) : undefined;
        if (refused) this.observer.settled(run.type, refused);
        else this.observer.failed(run.type, e);
      });
      throw e;
    }
    runs.forEach((run, i) => this.observer.settled(run.type, settled[i]));
    return settled;
  }

  private enqueue<S, E extends DomainEvent, O>(
    aggregate: Aggregate<S, E>,
    runs: readonly CommandRun<S, E, O>[],
    deadline: Deadline,
    allOrNothing = false,
  ): Promise<Settled<O>[]> {
    let lane = this.lanes.get(aggregate.streamType);
    if (!lane) {
      lane = { aggregate: aggregate as unknown as Aggregate<unknown, DomainEvent>, waiting: [], busy: new Map(), inFlight: 0, deciding: 0 };
      this.lanes.set(aggregate.streamType, lane);
    }
    const exclusive = runs.flatMap((r) => (r.exclusive ?? []).map((k) => `\0${k}`));
    const keys = [...new Set([...runs.flatMap((r) => [r.primary, ...(r.reads ?? [])]), ...exclusive])];
    const settling = new Promise<Settled<unknown>[]>((resolve, reject) =>
      lane.waiting.push({ runs: runs as unknown as readonly CommandRun<unknown, DomainEvent, unknown>[], keys, exclusive, deadline, allOrNothing, resolve, reject }),
    );
    this.pump(lane);
    return settling as Promise<Settled<O>[]>;
  }

  /**
   * Starts a group while fewer than the limit are in flight and none is
   * still deciding: a lone command under no load starts at once.
   */
  private pump(lane: Lane): void {
    while (lane.inFlight < this.groups.maxInFlight && lane.deciding === 0) {
      const group = this.takeGroup(lane);
      if (group.length === 0) return;
      const keys = group.flatMap((w) => w.keys);
      for (const k of keys) lane.busy.set(k, (lane.busy.get(k) ?? 0) + 1);
      lane.inFlight++;
      lane.deciding++;
      let deciding = true;
      const decided = () => {
        if (!deciding) return;
        deciding = false;
        clearTimeout(slow);
        lane.deciding--;
      };
      const committing = () => {
        if (!deciding) return;
        decided();
        this.pump(lane);
      };
      const slow = setTimeout(committing, SLOW_GROUP_MS);
      void this.settleGroup(lane.aggregate, group, committing).finally(() => {
        decided();
        for (const k of keys) {
          const n = lane.busy.get(k)! - 1;
          if (n === 0) lane.busy.delete(k);
          else lane.busy.set(k, n);
        }
        lane.inFlight--;
        this.pump(lane);
      });
    }
  }

  /**
   * The next group, in arrival order, up to the cap: commands on a key a
   * group in flight holds wait for a later group, and so does every later
   * command on the keys of one left waiting, so each key keeps its order.
   * Commands whose caller was already answered (deadline) are dropped.
   */
  private takeGroup(lane: Lane): Waiting[] {
    const group: Waiting[] = [];
    const held = new Set(lane.busy.keys());
    const taken = new Set<string>();
    let size = 0;
    for (let i = 0; i < lane.waiting.length; ) {
      const w = lane.waiting[i];
      if (w.deadline.remainingMs() === 0) {
        lane.waiting.splice(i, 1);
        w.reject(new DatabaseDeadlineExceeded('its turn', w.deadline.budgetMs));
        continue;
      }
      if (size > 0 && size + w.runs.length > this.groups.maxCommands) break;
      // An all-or-nothing batch shares its transaction with no one: its rollback must undo only its own commands.
      if ((w.allOrNothing && size > 0) || w.keys.some((k) => held.has(k)) || w.exclusive.some((k) => taken.has(k))) {
        for (const k of w.keys) held.add(k);
        i++;
        continue;
      }
      lane.waiting.splice(i, 1);
      for (const k of w.exclusive) taken.add(k);
      group.push(w);
      size += w.runs.length;
      if (w.allOrNothing) break;
    }
    return group;
  }

  /**
   * One transaction for the whole group; each caller gets its own commands'
   * answers. A group that keeps conflicting, or whose earliest deadline
   * passed, is settled again one caller at a time (in arrival order): only
   * what really conflicted, or really ran out of time, fails.
   */
  private async settleGroup(aggregate: Aggregate<unknown, DomainEvent>, group: readonly Waiting[], committing: () => void): Promise<void> {
    const live = group.filter((w) => {
      if (w.deadline.remainingMs() > 0) return true;
      w.reject(new DatabaseDeadlineExceeded('its turn', w.deadline.budgetMs));
      return false;
    });
    if (live.length === 0) return;
    const runs = live.flatMap((w) => w.runs);
    const earliest = live.reduce((a, w) => (w.deadline.remainingMs() < a.remainingMs() ? w.deadline : a), live[0].deadline);
    try {
      // Only a caller's own batch looks its keys up first (a retried batch is not rare); lone commands sharing a group
      // do not: a key recorded before fails the insert, and the group runs again with the look-up (a retry of one is rare).
      const lookUpFirst = live.some((w) => w.runs.length > 1);
      const allOrNothing = live.length === 1 && live[0].allOrNothing;
      const settled = await this.settleAll(aggregate, runs, earliest, live.length > 1 ? GROUP_ATTEMPTS : MAX_ATTEMPTS, lookUpFirst || allOrNothing, committing, allOrNothing);
      let at = 0;
      for (const w of live) {
        w.resolve(settled.slice(at, at + w.runs.length));
        at += w.runs.length;
      }
    } catch (e) {
      if (live.length > 1 && (isConflictExhausted(e) || e instanceof DatabaseDeadlineExceeded)) {
        for (const w of live) await this.settleGroup(aggregate, [w], committing);
        return;
      }
      for (const w of live) w.reject(e);
    }
  }

  private async settleAll<S, E extends DomainEvent, O>(
    aggregate: Aggregate<S, E>,
    runs: readonly CommandRun<S, E, O>[],
    deadline: Deadline,
    maxAttempts: number,
    lookUpFirst: boolean,
    committing: () => void,
    allOrNothing = false,
  ): Promise<Settled<O>[]> {
    const settled: (Settled<O> | undefined)[] = new Array(runs.length);
    const keys = runs.flatMap((r) => (r.idempotency ? [r.idempotency.key] : []));
    const replay = (i: number, recorded: Map<string, { requestHash: string; result: unknown }>): boolean => {
      const id = runs[i].idempotency;
      const found = id && recorded.get(id.key);
      if (!found) return false;
      settled[i] = found.requestHash === id.requestHash ? toExecuted<O>(found.result, true) : { kind: 'refused', error: new IdempotencyKeyReusedError(id.key) };
      return true;
    };
    // Without the look-up on the first try, a key recorded before fails the insert and rolls it all
    // back (the next try looks up), and a refusal looks it up before it is answered.
    let lookUp = lookUpFirst;
    for (let attempt = 1; ; attempt++) {
      deadline.check(attempt === 1 ? 'its turn' : `attempt ${attempt}`);
      const recorded = lookUp ? await this.store.findRecordedMany(keys) : new Map<string, { requestHash: string; result: unknown }>();
      const pending: number[] = [];
      for (let i = 0; i < runs.length; i++) if (recorded.size === 0 || !replay(i, recorded)) pending.push(i);
      if (allOrNothing) throwIfRefused(settled);
      if (pending.length === 0) return settled as Settled<O>[];
      try {
        const done = await this.inTransaction(deadline, (tx) => this.decideAndAppend(aggregate, runs, pending, tx, allOrNothing), committing);
        this.observer.committed(pending.length);
        if (done.appended.events.length > 0) {
          this.store.appended.notify();
          this.observer.appended(aggregate.streamType, done.appended.events.length);
        }
        this.rememberCommitted(done.working);
        for (const [i, result] of done.results) settled[i] = result;
        if (!lookUp) {
          const refused = pending.filter((i) => settled[i]?.kind === 'refused' && runs[i].idempotency);
          if (refused.length > 0) {
            const earlier = await this.store.findRecordedMany(refused.map((i) => runs[i].idempotency!.key));
            for (const i of refused) replay(i, earlier);
          }
        }
        return settled as Settled<O>[];
      } catch (e) {
        // Recorded by a transaction that committed first: the next attempt answers with its result.
        if (isIdempotencyRace(e)) {
          lookUp = true;
          continue;
        }
        if (!(e instanceof WrongExpectedVersionError) && codeOf(e) !== DEADLOCK) throw e;
        if (attempt >= maxAttempts) throw concurrencyConflict(e instanceof WrongExpectedVersionError ? e.streamId : runs[pending[0]].primary, attempt);
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }

  /**
   * One transaction within the deadline: a connection that comes after it is
   * given back unused; statements get no more than what is left of it (the
   * server stops a lock wait there too); nothing commits once it has passed.
   * A connection that breaks while the transaction is open fails it as
   * ConnectionLost (nothing committed); a COMMIT that fails without the
   * server's verdict has an unknown outcome (CommitOutcomeUnknown). Both are
   * 503s: the client retries with its idempotency key.
   */
  private async inTransaction<T>(deadline: Deadline, work: (tx: EntityManager) => Promise<T>, committing: () => void): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let lost: unknown = null;
    const onLost = (e: unknown) => (lost ??= e);
    let connection: PooledConnection | null = null;
    let failure: unknown = null;
    try {
      connection = (await runner.connect()) as PooledConnection;
      // TypeORM lets the runner go when its connection fails between statements; the next statement then fails without saying why.
      connection.on('error', onLost);
      deadline.check('a connection');
      await runner.startTransaction();
      let result: T;
      try {
        const left = deadline.remainingMs();
        // Only when clearly less is left than every session's own limit (it waited): a command that did not costs no round trip.
        if (left !== Number.POSITIVE_INFINITY && (this.limits.statementTimeoutMs === 0 || left < this.limits.statementTimeoutMs - STATEMENT_SLACK_MS)) {
          await runner.query(`SELECT set_config('statement_timeout', $1, true)`, [String(Math.max(1, Math.ceil(left)))]);
        }
        result = await work(runner.manager);
        deadline.check('the transaction');
        if (lost !== null) throw new ConnectionLost(lost);
      } catch (e) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw lost !== null && !(e instanceof ConnectionLost) ? new ConnectionLost(lost) : e;
      }
      committing();
      try {
        await runner.commitTransaction();
      } catch (e) {
        throw commitFailure(e);
      }
      return result;
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      connection?.removeListener('error', onLost);
      // A broken connection may not know it yet (the socket's end comes after the error): closed, never handed to the next request.
      if (connection !== null && failure !== null && connectionBroken(failure)) connection.end().catch(() => undefined);
      await runner.release();
    }
  }

  private async decideAndAppend<S, E extends DomainEvent, O>(
    aggregate: Aggregate<S, E>,
    runs: readonly CommandRun<S, E, O>[],
    pending: readonly number[],
    tx: EntityManager,
    allOrNothing = false,
  ) {
    const working = new Map<string, Working<S>>();
    const locked = new Map<string, LockedStream>();
    /** The states of these keys when every one is loaded already (most commands of a batch): no look-up, no await. */
    const loaded = (keys: readonly string[]): Map<string, S> | null => {
      const states = new Map<string, S>();
      for (const k of keys) {
        const w = working.get(k);
        if (w === undefined) return null;
        states.set(k, w.state);
      }
      return states;
    };
    const load = async (keys: readonly string[], lockedBy?: ReadonlyMap<string, LockedStream>): Promise<ReadonlyMap<string, S>> => {
      const missing = [...new Set(keys)].filter((k) => !working.has(k)).sort();
      const ids = missing.map(aggregate.streamId);
      // The lock answers each stream's version: a cached state at that version is read from no table.
      for (const [id, stream] of await this.store.lockStreams(lockedBy ? ids.filter((id) => !lockedBy.has(id)) : ids, tx)) locked.set(id, stream);
      if (lockedBy) for (const id of ids) if (lockedBy.has(id)) locked.set(id, lockedBy.get(id)!);
      const folded = await this.statesOf(aggregate).load(tx, ids.map((id) => ({ streamId: id, upTo: locked.get(id)!.version })));
      missing.forEach((key, i) => {
        const from = folded.get(ids[i])!;
        working.set(key, { streamId: ids[i], from, state: from.state, events: [] });
      });
      return new Map(keys.map((k) => [k, working.get(k)!.state]));
    };
    await load(pending.flatMap((i) => runs[i].reads ?? []));
    const now = new Date();
    const accepted = new Map<number, Accepted<O>>();
    const refused = new Map<number, Refused>();
    const seen = new Map<string, number>();
    for (const i of pending) {
      const run = runs[i];
      const key = run.idempotency?.key;
      const first = key === undefined ? undefined : seen.get(key);
      if (first !== undefined) continue; // the same key twice in one batch: settled below by the first
      if (key !== undefined) seen.set(key, i);
      // A long all-or-nothing batch is decided in one transaction: the event loop gets its turn between slices of it.
      if (allOrNothing && accepted.size + refused.size > 0 && (accepted.size + refused.size) % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      let decision: Decision<E, O>;
      try {
        if (run.decider) {
          const reads = run.reads ?? [];
          const widening = run.decider.widen(run.command, loaded(reads) ?? (await load(reads)), tx);
          const widened = widening instanceof Promise ? await widening : widening;
          decision = run.decider.decide(widened.command, loaded(widened.reads) ?? (await load(widened.reads, widened.locked)), now);
        } else decision = await run.decide!(load, tx, now);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        refused.set(i, { kind: 'refused', error: e });
        continue;
      }
      const streams = decision.streams.map((s) => {
        const w = working.get(s.key);
        if (!w) throw new Error(`command decided about ${s.key} without loading it`);
        for (const e of s.events) {
          w.state = aggregate.evolve(w.state, e);
          w.events.push({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: run.metadata, occurredAt: occurredAtOf(e) });
        }
        return { key: s.key, upTo: w.events.length, count: s.events.length };
      });
      if (decision.write) await decision.write(tx);
      accepted.set(i, { outcome: decision.outcome, streams });
    }
    // Refused ones first: all or nothing appends nothing then (the transaction rolls back as this throws).
    if (allOrNothing && refused.size > 0) throw new BatchRolledBack(refused);
    const touched = [...new Set([...accepted.values()].flatMap((a) => a.streams.map((s) => s.key)))].map((k) => working.get(k)!);
    const appended: AppendManyResult =
      touched.length === 0
        ? { position: 0, streams: [], events: [] }
        : await this.store.appendStreams(
            tx,
            touched.map((w) => ({ streamId: w.streamId, streamType: aggregate.streamType, expectedVersion: w.from.version, events: w.events })),
            locked,
          );
    const stored = new Map(appended.streams.map((s) => [s.streamId, s]));
    const results = new Map<number, Settled<O>>(refused);
    const records: RecordedResult[] = [];
    for (const [i, a] of accepted) {
      const streams = a.streams.map((s) => {
        const w = working.get(s.key)!;
        const mine = stored.get(w.streamId)!.events.slice(s.upTo - s.count, s.upTo);
        return { key: s.key, version: w.from.version + s.upTo, events: mine.map((e) => ({ type: e.type, version: e.version })), positions: mine.map((e) => e.globalPosition) };
      });
      const positions = streams.flatMap((s) => s.positions);
      const result: CommandResult<O> = {
        outcome: a.outcome,
        position: positions.length ? Math.max(...positions) : (stored.get(working.get(a.streams[0]?.key)?.streamId ?? '')?.position ?? appended.position),
        streams: streams.map(({ key, version, events }) => ({ key, version, events })),
      };
      results.set(i, { kind: 'executed', result, replayed: false });
      const id = runs[i].idempotency;
      if (id) records.push({ key: id.key, requestHash: id.requestHash, streamId: aggregate.streamId(runs[i].primary), result });
    }
    await this.store.recordResults(tx, records);
    // A key sent twice in one batch: the same request answers as the first did; another request is refused.
    for (const i of pending) {
      const key = runs[i].idempotency?.key;
      const first = key === undefined ? i : seen.get(key)!;
      if (first === i) continue;
      const earlier = results.get(first)!;
      results.set(
        i,
        runs[first].idempotency!.requestHash !== runs[i].idempotency!.requestHash
          ? { kind: 'refused', error: new IdempotencyKeyReusedError(key!) }
          : earlier.kind === 'executed' ? { ...earlier, replayed: true } : earlier,
      );
    }
    if (allOrNothing) throwIfRefused(runs.map((_, i) => results.get(i)));
    return { appended, results, working: touched.map((w) => ({ aggregate, w })) };
  }

  private statesOf<S, E extends DomainEvent>(aggregate: Aggregate<S, E>): FoldedStates<S> {
    let states = this.states.get(aggregate.streamType);
    if (!states) {
      const fold = { initial: aggregate.initialState, evolve: (s: S, e: StoredEvent) => aggregate.evolve(s, aggregate.toEvent(e)) };
      states = this.stateCache.of<S>(fold) as FoldedStates<unknown>;
      this.states.set(aggregate.streamType, states);
    }
    return states as FoldedStates<S>;
  }

  /** Once committed (never before: a rolled-back append must not be remembered), each stream's state after its new events. */
  private rememberCommitted<S, E extends DomainEvent>(touched: readonly { aggregate: Aggregate<S, E>; w: Working<S> }[]): void {
    for (const { aggregate, w } of touched) {
      this.statesOf(aggregate).remember(w.streamId, { state: w.state, version: w.from.version + w.events.length });
    }
  }
}
