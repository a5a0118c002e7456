import { Inject, Injectable } from '@nestjs/common';
import { FacilityRef, fold, notFound } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { FACILITY } from '../common/commands/aggregates';

type Facility = FacilityRef & { name: string; registeredAt: string; version: number };

/** Facilities read straight from their streams: the command side never trusts a read model. */
@Injectable()
export class FacilityRepository {
  constructor(@Inject(PostgresEventStore) private readonly store: PostgresEventStore) {}

  async find(id: string): Promise<Facility | null> {
    const slice = await this.store.readStream(FACILITY.streamId(id));
    const state = fold(FACILITY.evolve, FACILITY.initialState(), slice.events.map(FACILITY.toEvent));
    return state.facility ? { ...state.facility, version: slice.version } : null;
  }

  async get(id: string, field: string): Promise<FacilityRef> {
    const facility = await this.find(id);
    if (!facility) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { field, facilityId: id });
    return facility;
  }

  /** Every registered facility among `ids`, in one read. */
  async findMany(ids: readonly string[]): Promise<Map<string, FacilityRef & { name: string }>> {
    const slices = await this.store.readStreams([...new Set(ids)].map(FACILITY.streamId));
    const found = new Map<string, FacilityRef & { name: string }>();
    for (const slice of slices.values()) {
      const f = fold(FACILITY.evolve, FACILITY.initialState(), slice.events.map(FACILITY.toEvent)).facility;
      if (f) found.set(f.id, { id: f.id, name: f.name, type: f.type, zones: f.zones });
    }
    return found;
  }
}
