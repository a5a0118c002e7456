import { EntityManager } from 'typeorm';
import { evolveLot, initialLotState, isLotStreamId, LotState, toLotEvent, traceCodeOfStream } from '@app/domain';
import { StoredEvent } from '@app/event-store';

export const isLotEvent = (e: StoredEvent): boolean => isLotStreamId(e.streamId);

export interface FoldedLot {
  readonly traceCode: string;
  readonly state: LotState;
  readonly version: number;
  readonly position: number;
}

/**
 * Folds a batch of events into the stored state of each lot they touch.
 * Events at or below a lot's stored version were applied before and are
 * skipped: that is what makes redelivery harmless.
 */
export const foldLots = async (
  manager: EntityManager,
  table: string,
  events: readonly StoredEvent[],
): Promise<FoldedLot[]> => {
  const lotEvents = events.filter(isLotEvent);
  if (lotEvents.length === 0) return [];
  const streamIds = [...new Set(lotEvents.map((e) => e.streamId))];
  const rows: { stream_id: string; trace_code: string; state: LotState; version: number; position: string }[] =
    await manager.query(
      `SELECT stream_id, trace_code, state, version, position FROM ${table} WHERE stream_id = ANY($1) FOR UPDATE`,
      [streamIds],
    );
  const byStream = new Map<string, FoldedLot>(
    rows.map((r) => [r.stream_id, { traceCode: r.trace_code, state: r.state, version: r.version, position: Number(r.position) }]),
  );
  const touched = new Set<string>();
  for (const e of lotEvents) {
    const current = byStream.get(e.streamId) ?? { traceCode: '', state: initialLotState(), version: 0, position: 0 };
    if (e.version <= current.version) continue;
    const state = evolveLot(current.state, toLotEvent(e.type, e.schemaVersion, e.data));
    byStream.set(e.streamId, {
      traceCode: state.traceCode ?? traceCodeOfStream(e.streamId),
      state,
      version: e.version,
      position: e.globalPosition,
    });
    touched.add(e.streamId);
  }
  return [...touched].map((id) => byStream.get(id)!);
};
