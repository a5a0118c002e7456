import { Inject, Injectable } from '@nestjs/common';
import { FacilityEvent, FacilityRef, fold, notFound } from '@app/domain';
import { PostgresEventStore, StreamSlice } from '@app/event-store';
import { FACILITY } from '../common/commands/aggregates';

type Facility = FacilityRef & { name: string; registeredAt: string; version: number };

/**
 * A facility never changes once registered (FacilityRegistered is its only
 * event), so one found is kept for good: a scan costs no facility read. Should
 * a facility event that changes one be added, this stops compiling until the
 * cache learns of it.
 */
const registeredIsFinal: FacilityEvent['type'] extends 'FacilityRegistered' ? true : never = true;
void registeredIsFinal;

/** Facilities read straight from their streams: the command side never trusts a read model. */
@Injectable()
export class FacilityRepository {
  private readonly known = new Map<string, Facility>();

  constructor(@Inject(PostgresEventStore) private readonly store: PostgresEventStore) {}

  async find(id: string): Promise<Facility | null> {
    return this.known.get(id) ?? this.remember(await this.store.readStream(FACILITY.streamId(id)));
  }

  async get(id: string, field: string): Promise<FacilityRef> {
    const facility = await this.find(id);
    if (!facility) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { field, facilityId: id });
    return facility;
  }

  /** Every registered facility among `ids`, in one read (none for those already known). */
  async findMany(ids: readonly string[]): Promise<Map<string, Facility>> {
    const wanted = [...new Set(ids)];
    const missing = wanted.filter((id) => !this.known.has(id));
    if (missing.length > 0) for (const slice of (await this.store.readStreams(missing.map(FACILITY.streamId))).values()) this.remember(slice);
    return new Map(wanted.flatMap((id) => (this.known.has(id) ? [[id, this.known.get(id)!] as const] : [])));
  }

  private remember(slice: StreamSlice): Facility | null {
    const state = fold(FACILITY.evolve, FACILITY.initialState(), slice.events.map(FACILITY.toEvent));
    if (!state.facility) return null;
    const facility = { ...state.facility, version: slice.version };
    this.known.set(facility.id, facility);
    return facility;
  }
}
