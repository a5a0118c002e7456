import { DataSource, EntityManager } from 'typeorm';
import { AppendResult, NewEvent, PostgresEventStore } from '@app/event-store';

export interface StreamAppendOptions<T> {
  readonly streamType: string;
  /** 0 = the stream must not exist yet. */
  readonly expectedVersion: number;
  /** Recorded with the append, as a command's result is; a key recorded first replays that result. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string; readonly record: (result: AppendResult) => T };
}

export type StreamAppendOutcome<T> =
  | { readonly kind: 'appended'; readonly result: AppendResult; readonly recorded?: T }
  | { readonly kind: 'replayed'; readonly recorded: T };

const isIdempotencyRace = (e: unknown): boolean => {
  const err = e as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return (err.driverError?.code ?? err.code) === '23505' && (err.driverError?.constraint ?? err.constraint) === 'idempotency_keys_pkey';
};

/**
 * One stream's append through the store's own write path (lockStreams,
 * appendStreams, recordResults, findRecordedMany, as the api's commands use
 * it), in the caller's open transaction (an EntityManager) or in one of its
 * own (a DataSource), for tests about the store rather than about a command.
 */
export const appendToStream = async <T = unknown>(
  target: DataSource | EntityManager,
  store: PostgresEventStore,
  streamId: string,
  events: readonly NewEvent[],
  options: StreamAppendOptions<T>,
): Promise<StreamAppendOutcome<T>> => {
  const { idempotency } = options;
  const within = async (manager: EntityManager): Promise<StreamAppendOutcome<T>> => {
    const found = idempotency && (await store.findRecordedMany<T>([idempotency.key], manager)).get(idempotency.key);
    if (found && found.requestHash === idempotency.requestHash) return { kind: 'replayed', recorded: found.result };
    const appended = await store.appendStreams(manager, [{ streamId, streamType: options.streamType, expectedVersion: options.expectedVersion, events }]);
    const result = appended.streams[0];
    if (!idempotency) return { kind: 'appended', result };
    const recorded = idempotency.record(result);
    await store.recordResults(manager, [{ key: idempotency.key, requestHash: idempotency.requestHash, streamId, result: recorded }]);
    return { kind: 'appended', result, recorded };
  };
  if (target instanceof EntityManager) return within(target);
  try {
    const outcome = await target.transaction(within);
    if (outcome.kind === 'appended' && outcome.result.events.length > 0) store.appended.notify();
    return outcome;
  } catch (e) {
    // Recorded by a transaction that committed first: its answer is this one's.
    const found = idempotency && isIdempotencyRace(e) && (await store.findRecordedMany<T>([idempotency.key])).get(idempotency.key);
    if (found && found.requestHash === idempotency!.requestHash) return { kind: 'replayed', recorded: found.result };
    throw e;
  }
};
