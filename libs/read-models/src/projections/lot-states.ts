import { EntityManager } from 'typeorm';
import { EligibilityFacts, eligibilityFacts, evolveLot, initialLotState, isLotStreamId, lotFacilityIds, LotState, toLotEvent, traceCodeOfStream } from '@app/domain';
import { Folded, FoldedStates, StateCache, StoredEvent } from '@app/event-store';
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
 * The domain's lot state, as the lot projections need it to build their
 * rows: folded from the event log (never stored in a read model, whose rows
 * have shapes of their own) through the process's one StateCache, so a lot
 * the command side just folded, or another projection of the same batch,
 * is not folded again.
 */
export class LotStates {
  private readonly states: FoldedStates<LotState>;

  constructor(cache: StateCache) {
    this.states = cache.of<LotState>({ initial: initialLotState, evolve: (s, e) => evolveLot(s, toLotEvent(e.type, e.schemaVersion, e.data)) });
  }

  /**
   * Each lot these events touch, folded to the last of its events here. Rows
   * are written only over older versions (see writeLotRows), so redelivered
   * events change nothing and need not be told apart here.
   */
  async fold(manager: EntityManager, events: readonly StoredEvent[]): Promise<FoldedLot[]> {
    const byLot = new Map<string, StoredEvent[]>();
    for (const e of events) {
      if (!isLotEvent(e)) continue;
      const list = byLot.get(e.streamId) ?? [];
      if (list.length === 0) byLot.set(e.streamId, list);
      list.push(e);
    }
    const folded = new Map<string, Folded<LotState>>();
    const unknown: [string, StoredEvent[]][] = [];
    for (const [streamId, unsorted] of byLot) {
      const list = [...new Map(unsorted.map((e) => [e.version, e])).values()].sort((a, b) => a.version - b.version);
      byLot.set(streamId, list);
      const last = list[list.length - 1].version;
      // Folded already at that version (by a command, or a projection before this one), or from a fold these events follow.
      const from = this.states.at(streamId, last) ?? this.states.before(streamId, last);
      if (from && follows(list, from.version)) folded.set(streamId, this.advance(streamId, from, list));
      else unknown.push([streamId, list]);
    }
    // From the state just before each lot's first event here; a batch with a hole in it is folded from the log instead.
    const starts = await this.states.load(
      manager,
      unknown.map(([streamId, list]) => ({ streamId, upTo: follows(list, list[0].version - 1) ? list[0].version - 1 : list[list.length - 1].version })),
    );
    for (const [streamId, list] of unknown) folded.set(streamId, this.advance(streamId, starts.get(streamId)!, list));
    return [...byLot].map(([streamId, list]) => {
      const lot = folded.get(streamId)!;
      return {
        streamId,
        traceCode: lot.state.traceCode ?? traceCodeOfStream(streamId),
        state: lot.state,
        version: lot.version,
        position: list[list.length - 1].globalPosition,
      };
    });
  }

  private advance(streamId: string, from: Folded<LotState>, list: readonly StoredEvent[]): Folded<LotState> {
    const after = list.filter((e) => e.version > from.version);
    return after.length === 0 ? from : this.states.advance(streamId, from, after);
  }
}

/** Do these events (sorted) carry every version after `version` up to their last? */
const follows = (list: readonly StoredEvent[], version: number): boolean =>
  list[0].version <= version + 1 && list.every((e, i) => i === 0 || e.version === list[i - 1].version + 1);

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
 * Writes one row per folded lot (set-based, in stream order so concurrent
 * writers lock rows in one order) with the shared lot columns and the
 * table's own, over older versions only, then announces the rows to readers
 * that keep them.
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
    [...folded].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0)).map((lot) => {
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
    'version',
  );
  await announceChanged(manager, table, folded.map((l) => l.traceCode));
};
