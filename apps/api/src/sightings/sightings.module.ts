import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { ReportSightingHandler } from './commands/report-sighting/report-sighting.handler';
import { ReportSightingHttpController } from './commands/report-sighting/report-sighting.http.controller';
import { ListSightingsHandler } from './queries/list-sightings/list-sightings.handler';
import { ListSightingsHttpController } from './queries/list-sightings/list-sightings.http.controller';

@Module({
  imports: [FacilitiesModule],
  controllers: [ReportSightingHttpController, ListSightingsHttpController],
  providers: [ReportSightingHandler, ListSightingsHandler],
})
export class SightingsModule {}
