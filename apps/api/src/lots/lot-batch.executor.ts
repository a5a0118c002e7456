import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { fold, LotEvent, lotDecider, LotState, lotStreamId, toLotEvent } from '@app/domain';
import { AppendManyResult, EventMetadata, PostgresEventStore, StoredResponse, StreamAppend, WrongExpectedVersionError } from '@app/event-store';
import { KeyedMutex } from '../common/commands/keyed-mutex';
import { concurrencyConflict } from '../common/http/api-errors';

export interface LoadedLot {
  readonly traceCode: string;
  readonly state: LotState;
  readonly version: number;
}

export type LotLoader = (traceCodes: readonly string[]) => Promise<Map<string, LoadedLot>>;

/** What one attempt decided: events per lot (lots with none are left untouched). */
export type LotPlan = { traceCode: string; events: LotEvent[] }[];

/** A plan and what the answer needs to say about the decision (decided together, so the answer never guesses). */
export interface LotDecision<D> {
  readonly lots: LotPlan;
  readonly outcome: D;
}

export interface LotBatchArgs<T, D> {
  /**
   * Loads what it needs and decides, inside the command's transaction: every
   * lot it loads stays locked until the events are written, so a concurrent
   * split or sale of one of them waits instead of slipping in between.
   */
  readonly plan: (load: LotLoader, manager: EntityManager) => Promise<LotDecision<D>>;
  readonly metadata: EventMetadata;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  readonly respond: (result: AppendManyResult, decision: LotDecision<D>) => StoredResponse<T>;
  /** The lot most commands contend on (a split's parent, a document's lot): queued in-process behind the others on it. */
  readonly primary: string;
}

const MAX_ATTEMPTS = 12;
const backoffMs = (attempt: number): number => Math.random() * Math.min(250, 5 * 2 ** attempt);
const DEADLOCK = '40P01';
const isDeadlock = (e: unknown): boolean => {
  const err = e as { code?: string; driverError?: { code?: string } };
  return (err?.driverError?.code ?? err?.code) === DEADLOCK;
};

const occurredAtOf = (event: LotEvent): string | undefined => {
  const data = event.data as { occurredAt?: unknown };
  return typeof data.occurredAt === 'string' ? data.occurredAt : undefined;
};

/**
 * Commands that change several lots at once (split, merge, a recall or lock
 * reaching every descendant): decided per lot by the pure domain, appended to
 * every stream in one transaction that holds the lots it read. Pessimistic on
 * purpose: a recall of thousands of lots must not starve behind routine
 * splits and sales, and must not miss a child split off while it decides.
 */
@Injectable()
export class LotBatchExecutor {
  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(KeyedMutex) private readonly mutex: KeyedMutex,
    @InjectDataSource() @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  run<T, D>(args: LotBatchArgs<T, D>): Promise<StoredResponse<T>> {
    return this.mutex.run(lotStreamId(args.primary), () => this.attempt(args));
  }

  private async attempt<T, D>(args: LotBatchArgs<T, D>): Promise<StoredResponse<T>> {
    if (args.idempotency) {
      const earlier = await this.store.findResponse<T>(args.idempotency.key, args.idempotency.requestHash);
      if (earlier) return earlier;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.dataSource.transaction(async (manager) => {
          const loaded = new Map<string, LoadedLot>();
          const load: LotLoader = async (traceCodes) => {
            const missing = [...new Set(traceCodes)].filter((tc) => !loaded.has(tc)).sort();
            await this.store.lockStreams(missing.map(lotStreamId), manager);
            const slices = await this.store.readStreams(missing.map(lotStreamId), manager);
            for (const tc of missing) {
              const slice = slices.get(lotStreamId(tc))!;
              const state = fold(lotDecider.evolve, lotDecider.initialState(), slice.events.map((e) => toLotEvent(e.type, e.schemaVersion, e.data)));
              loaded.set(tc, { traceCode: tc, state, version: slice.version });
            }
            return new Map(traceCodes.map((tc) => [tc, loaded.get(tc)!]));
          };
          // Lots left unchanged stay in the append too: their versions are checked, since the decision read them.
          const decision = await args.plan(load, manager);
          const appends: StreamAppend[] = decision.lots.map((p) => ({
            streamId: lotStreamId(p.traceCode),
            streamType: 'lot',
            expectedVersion: loaded.get(p.traceCode)?.version ?? 0,
            events: p.events.map((e) => ({ type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: args.metadata, occurredAt: occurredAtOf(e) })),
          }));
          const appended = await this.store.appendManyWithin<T>(manager, appends, {
            idempotency: args.idempotency && { ...args.idempotency, respond: (r) => args.respond(r, decision) },
          });
          return { appended, decision };
        });
        if (outcome.appended.kind === 'replayed') return outcome.appended.response;
        if (outcome.appended.result.events.length > 0) this.store.appended.notify();
        return outcome.appended.response ?? args.respond(outcome.appended.result, outcome.decision);
      } catch (e) {
        if (args.idempotency && isUniqueViolation(e)) {
          const earlier = await this.store.findResponse<T>(args.idempotency.key, args.idempotency.requestHash);
          if (earlier) return earlier;
        }
        // A new child created concurrently, or two batches locking in crossed order: decide again.
        if (!(e instanceof WrongExpectedVersionError) && !isDeadlock(e)) throw e;
        if (attempt >= MAX_ATTEMPTS) throw concurrencyConflict(e instanceof WrongExpectedVersionError ? e.streamId : args.primary, attempt);
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }
}

const isUniqueViolation = (e: unknown): boolean => {
  const err = e as { code?: string; driverError?: { code?: string; constraint?: string } };
  return (err?.driverError?.code ?? err?.code) === '23505' && err?.driverError?.constraint === 'idempotency_keys_pkey';
};
