import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { FacilityRepository } from '../../facility.repository';
import { FacilityView, GetFacilityQuery } from './get-facility.query';

@QueryHandler(GetFacilityQuery)
export class GetFacilityHandler implements IQueryHandler<GetFacilityQuery> {
  constructor(@Inject(FacilityRepository) private readonly facilities: FacilityRepository) {}

  async execute({ id }: GetFacilityQuery): Promise<FacilityView> {
    const f = await this.facilities.find(id);
    if (!f) throw notFound('FACILITY_NOT_FOUND', `no facility ${id} is registered`, { facilityId: id });
    return { id: f.id, name: f.name, type: f.type, zones: [...f.zones], registeredAt: f.registeredAt, version: f.version };
  }
}
