import { Module } from '@nestjs/common';
import { RegisterFacilityHandler } from './commands/register-facility/register-facility.handler';
import { RegisterFacilityHttpController } from './commands/register-facility/register-facility.http.controller';
import { GetFacilityHandler } from './queries/get-facility/get-facility.handler';
import { GetFacilityHttpController } from './queries/get-facility/get-facility.http.controller';
import { FacilityRepository } from './facility.repository';

@Module({
  controllers: [RegisterFacilityHttpController, GetFacilityHttpController],
  providers: [FacilityRepository, RegisterFacilityHandler, GetFacilityHandler],
  exports: [FacilityRepository],
})
export class FacilitiesModule {}
