import { Inject, Injectable } from '@nestjs/common';
import { FacilityRef, facilityDecider, facilityStreamId, fold, notFound, toFacilityEvent } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { CommandExecutor } from '../common/commands/command-executor';

/** Facilities read straight from their streams: the command side never trusts a read model. */
@Injectable()
export class FacilityRepository {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
  ) {}

  async find(id: string) {
    const { state, version } = await this.executor.load(facilityStreamId(id), facilityDecider, (e) =>
      toFacilityEvent(e.type, e.schemaVersion, e.data),
    );
    return state.facility ? { ...state.facility, version } : null;
  }

  async get(id: string, field: string): Promise<FacilityRef> {
    const facility = await this.find(id);
    if (!facility) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { field, facilityId: id });
    return facility;
  }

  /** Every registered facility among `ids`, in one read. */
  async findMany(ids: readonly string[]): Promise<Map<string, FacilityRef & { name: string }>> {
    const slices = await this.store.readStreams([...new Set(ids)].map(facilityStreamId));
    const found = new Map<string, FacilityRef & { name: string }>();
    for (const slice of slices.values()) {
      const f = fold(facilityDecider.evolve, facilityDecider.initialState(), slice.events.map((e) => toFacilityEvent(e.type, e.schemaVersion, e.data))).facility;
      if (f) found.set(f.id, { id: f.id, name: f.name, type: f.type, zones: f.zones });
    }
    return found;
  }
}
