import { Inject, Injectable } from '@nestjs/common';
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

export interface LotBatchArgs<T> {
  /** Loads what it needs and decides; runs again on fresh state after a concurrent write. */
  readonly plan: (load: LotLoader) => Promise<LotPlan>;
  readonly metadata: EventMetadata;
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  readonly respond: (result: AppendManyResult, plan: LotPlan) => StoredResponse<T>;
  /** The lot most commands contend on (a split's parent, a document's lot): queued in-process behind the others on it. */
  readonly primary: string;
}

const MAX_ATTEMPTS = 12;
const backoffMs = (attempt: number): number => Math.random() * Math.min(250, 5 * 2 ** attempt);

const occurredAtOf = (event: LotEvent): string | undefined => {
  const data = event.data as { occurredAt?: unknown };
  return typeof data.occurredAt === 'string' ? data.occurredAt : undefined;
};

/**
 * Commands that change several lots at once (split, merge, a recall or lock
 * reaching every descendant): decided per lot by the pure domain, appended to
 * every stream in one transaction at the versions they were decided on.
 */
@Injectable()
export class LotBatchExecutor {
  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(KeyedMutex) private readonly mutex: KeyedMutex,
  ) {}

  run<T>(args: LotBatchArgs<T>): Promise<StoredResponse<T>> {
    return this.mutex.run(lotStreamId(args.primary), () => this.attempt(args));
  }

  private async attempt<T>(args: LotBatchArgs<T>): Promise<StoredResponse<T>> {
    if (args.idempotency) {
      const earlier = await this.store.findResponse<T>(args.idempotency.key, args.idempotency.requestHash);
      if (earlier) return earlier;
    }
    for (let attempt = 1; ; attempt++) {
      const loaded = new Map<string, LoadedLot>();
      const load: LotLoader = async (traceCodes) => {
        const missing = traceCodes.filter((tc) => !loaded.has(tc));
        const slices = await this.store.readStreams(missing.map(lotStreamId));
        for (const tc of missing) {
          const slice = slices.get(lotStreamId(tc))!;
          const state = fold(lotDecider.evolve, lotDecider.initialState(), slice.events.map((e) => toLotEvent(e.type, e.schemaVersion, e.data)));
          loaded.set(tc, { traceCode: tc, state, version: slice.version });
        }
        return new Map(traceCodes.map((tc) => [tc, loaded.get(tc)!]));
      };
      // Lots left unchanged stay in the append too: their versions are checked, since the decision read them.
      const plan = await args.plan(load);
      const appends: StreamAppend[] = plan.map((p) => ({
        streamId: lotStreamId(p.traceCode),
        streamType: 'lot',
        expectedVersion: loaded.get(p.traceCode)?.version ?? 0,
        events: p.events.map((e) => ({
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: args.metadata,
          occurredAt: occurredAtOf(e),
        })),
      }));
      try {
        const outcome = await this.store.appendMany<T>(appends, {
          idempotency: args.idempotency && { ...args.idempotency, respond: (r) => args.respond(r, plan) },
        });
        if (outcome.kind === 'replayed') return outcome.response;
        return outcome.response ?? args.respond(outcome.result, plan);
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        if (attempt >= MAX_ATTEMPTS) throw concurrencyConflict(e.streamId, attempt);
        await new Promise((r) => setTimeout(r, backoffMs(attempt)));
      }
    }
  }
}
