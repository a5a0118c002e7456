import { Inject, Injectable } from '@nestjs/common';
import { FacilityRef, facilityDecider, facilityStreamId, notFound, toFacilityEvent } from '@app/domain';
import { CommandExecutor } from '../common/commands/command-executor';

/** Facilities read straight from their streams: the command side never trusts a read model. */
@Injectable()
export class FacilityRepository {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

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
}
