import { EntityManager } from 'typeorm';
import { EligibilityFacts, eligibilityFacts, evolveLot, initialLotState, isLotStreamId, lotFacilityIds, LotState, toLotEvent, traceCodeOfStream } from '@app/domain';
import { FoldedStates, StoredEvent } from '@app/event-store';
import { announceChanged } from '../read-model-changes';
import { upsertRows } from './upsert-rows';

export const isLotEvent = (e: StoredEvent): boolean => isLotStreamId(e.streamId);

export interface FoldedLot {
  readonly streamId: string;
  readonly traceCode: string;
  readonly state: LotState;
  readonly version: number;
  readonly position: number;
}

/**
 * Lots folded by one projection, kept between batches. A state with a long
 * timeline weighs 10 kB or more: a rebuild (a lot's events come together)
 * needs few, and a live projection keeps the lots moving now.
 */
const CACHE_SIZE = 5_000;

/**
 * The domain's lot state, as a projection needs it to build its rows: folded
 * from the event log (never stored in a read model, whose rows have shapes of
 * their own), the recent ones kept in memory by version.
 */
export class LotStates {
  private readonly states: FoldedStates<LotState>;

  /** `capacity`: lots kept folded; a rebuild, whose lots' events come together, needs fewer. */
  constructor(capacity = CACHE_SIZE) {
    this.states = new FoldedStates<LotState>({ initial: initialLotState, evolve: (s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)) }, capacity);
  }

  /**
   * Each lot these events touch, folded through the ones `table` has not
   * applied yet (its rows' versions say which it has, and are locked until
   * the caller's transaction ends): redelivered events change nothing.
   */
  async fold(manager: EntityManager, table: string, events: readonly StoredEvent[]): Promise<FoldedLot[]> {
    const lotEvents = events.filter(isLotEvent);
    if (lotEvents.length === 0) return [];
    const streamIds = [...new Set(lotEvents.map((e) => e.streamId))];
    const rows: { stream_id: string; version: number }[] = await manager.query(
      `SELECT stream_id, version FROM ${table} WHERE stream_id = ANY($1) ORDER BY stream_id FOR UPDATE`,
      [streamIds],
    );
    const applied = new Map(rows.map((r) => [r.stream_id, r.version]));
    const fresh = new Map<string, StoredEvent[]>();
    for (const e of lotEvents) {
      const list = fresh.get(e.streamId) ?? [];
      const last = list.length ? list[list.length - 1].version : (applied.get(e.streamId) ?? 0);
      if (e.version <= last) continue;
      if (list.length === 0) fresh.set(e.streamId, list);
      list.push(e);
    }
    const contiguous = (list: readonly StoredEvent[]) => list.every((e, i) => i === 0 || e.version === list[i - 1].version + 1);
    // From the state just before each lot's first new event; a batch with a hole in it is folded from the log instead.
    const starts = await this.states.load(
      manager,
      [...fresh].map(([streamId, list]) => ({
        streamId,
        upTo: contiguous(list) ? list[0].version - 1 : list[list.length - 1].version,
      })),
    );
    return [...fresh].map(([streamId, list]) => {
      const start = starts.get(streamId)!;
      const last = list[list.length - 1];
      // Already folded this far by another table's projection sharing these states (a rebuild's): not folded twice.
      const shared = this.states.peek(streamId);
      const folded = start.version === last.version ? start : shared?.version === last.version ? shared : this.states.advance(streamId, start, list);
      return {
        streamId,
        traceCode: folded.state.traceCode ?? traceCodeOfStream(streamId),
        state: folded.state,
        version: folded.version,
        position: last.globalPosition,
      };
    });
  }
}

/** Columns every lot table has: its key, where it is and whose it is (for filters and lot scope). */
const LOT_COLUMNS = {
  stream_id: 'text',
  trace_code: 'text',
  version: 'integer',
  position: 'bigint',
  facility_ids: 'text[]',
  holder_facility_id: 'text',
  importers: 'text[]',
  origin_countries: 'text[]',
  category: 'text',
};

/**
 * Writes one row per folded lot (set-based) with the shared lot columns and
 * the table's own, then announces the changed rows to readers that keep them.
 */
export const writeLotRows = async (
  manager: EntityManager,
  table: string,
  columns: Readonly<Record<string, string>>,
  folded: readonly FoldedLot[],
  own: (lot: FoldedLot, facts: EligibilityFacts) => Record<string, unknown>,
): Promise<void> => {
  await upsertRows(
    manager,
    table,
    'stream_id',
    { ...LOT_COLUMNS, ...columns },
    folded.map((lot) => {
      const s = lot.state;
      return {
        stream_id: lot.streamId,
        trace_code: lot.traceCode,
        version: lot.version,
        position: lot.position,
        facility_ids: lotFacilityIds(s),
        holder_facility_id: s.custody?.facilityId ?? null,
        importers: s.importers,
        origin_countries: s.originCountries,
        category: s.product?.category ?? null,
        ...own(lot, eligibilityFacts(s)),
      };
    }),
  );
  await announceChanged(manager, table, folded.map((l) => l.traceCode));
};
