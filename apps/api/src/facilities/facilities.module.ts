import { Module } from '@nestjs/common';
import { RegisterFacilityHandler } from './commands/register-facility/register-facility.handler';
import { RegisterFacilityHttpController } from './commands/register-facility/register-facility.http.controller';
import { GetFacilityHandler } from './queries/get-facility/get-facility.handler';
import { GetFacilityHttpController } from './queries/get-facility/get-facility.http.controller';
import { FacilityRepository } from './facility.repository';
import { GetInventoryHandler } from './queries/get-inventory/get-inventory.handler';
import { GetInventoryHttpController } from './queries/get-inventory/get-inventory.http.controller';
import { ListFacilitiesHandler } from './queries/list-facilities/list-facilities.handler';
import { ListFacilitiesHttpController } from './queries/list-facilities/list-facilities.http.controller';

@Module({
  controllers: [RegisterFacilityHttpController, GetFacilityHttpController, GetInventoryHttpController, ListFacilitiesHttpController],
  providers: [FacilityRepository, RegisterFacilityHandler, GetFacilityHandler, GetInventoryHandler, ListFacilitiesHandler],
  exports: [FacilityRepository],
})
export class FacilitiesModule {}
