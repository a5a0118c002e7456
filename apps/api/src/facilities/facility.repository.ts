import { Inject, Injectable, Optional } from '@nestjs/common';
import { FacilityEvent, FacilityRef, FacilityState, notFound } from '@app/domain';
import { FoldedStates, PostgresEventStore, StateCache, StreamSlice } from '@app/event-store';
import { FACILITY } from '../common/commands/aggregates';

type Facility = FacilityRef & { name: string; registeredAt: string; version: number };

/**
 * A facility never changes once registered (FacilityRegistered is its only
 * event), so its newest fold in the process's StateCache is its state: a scan
 * costs no facility read. Should a facility event that changes one be added,
 * this stops compiling until this reads the stream's version first.
 */
const registeredIsFinal: FacilityEvent['type'] extends 'FacilityRegistered' ? true : never = true;
void registeredIsFinal;

/** Facilities a process without a shared StateCache keeps (a CLI). */
const KEPT_WITHOUT_A_SHARED_CACHE = 1_000;

/** Facilities read straight from their streams: the command side never trusts a read model. */
@Injectable()
export class FacilityRepository {
  private readonly states: FoldedStates<FacilityState>;

  constructor(
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Optional() @Inject(StateCache) cache: StateCache = new StateCache(KEPT_WITHOUT_A_SHARED_CACHE),
  ) {
    this.states = cache.of({ initial: FACILITY.initialState, evolve: (s, e) => FACILITY.evolve(s, FACILITY.toEvent(e)) });
  }

  async find(id: string): Promise<Facility | null> {
    return this.known(id) ?? this.remember(await this.store.readStream(FACILITY.streamId(id)));
  }

  async get(id: string, field: string): Promise<FacilityRef> {
    const facility = await this.find(id);
    if (!facility) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { field, facilityId: id });
    return facility;
  }

  /** Every registered facility among `ids`, in one read (none for those already known). */
  async findMany(ids: readonly string[]): Promise<Map<string, Facility>> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, Facility>();
    const missing: string[] = [];
    for (const id of wanted) {
      const known = this.known(id);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const slice of (await this.store.readStreams(missing.map(FACILITY.streamId))).values()) {
        const facility = this.remember(slice);
        if (facility) found.set(facility.id, facility);
      }
    }
    return new Map(wanted.flatMap((id) => (found.has(id) ? [[id, found.get(id)!] as const] : [])));
  }

  private known(id: string): Facility | null {
    const folded = this.states.peek(FACILITY.streamId(id));
    return folded?.state.facility ? { ...folded.state.facility, version: folded.version } : null;
  }

  private remember(slice: StreamSlice): Facility | null {
    const folded = this.states.advance(slice.streamId, { state: FACILITY.initialState(), version: 0 }, slice.events);
    return folded.state.facility ? { ...folded.state.facility, version: folded.version } : null;
  }
}
