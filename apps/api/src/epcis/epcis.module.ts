import { Module } from '@nestjs/common';
import { FacilitiesModule } from '../facilities/facilities.module';
import { LotsModule } from '../lots/lots.module';
import { CaptureJobRepository } from './capture/capture-job.repository';
import { CaptureEpcisHandler } from './commands/capture-epcis/capture-epcis.handler';
import { CaptureEpcisHttpController } from './commands/capture-epcis/capture-epcis.http.controller';
import { GetCaptureJobHandler } from './queries/get-capture-job/get-capture-job.handler';
import { GetCaptureJobHttpController } from './queries/get-capture-job/get-capture-job.http.controller';
import { EpcisEventReader } from './epcis-event.reader';
import { GetEpcisEventsHandler } from './queries/get-epcis-events/get-epcis-events.handler';
import { GetEpcisEventsHttpController } from './queries/get-epcis-events/get-epcis-events.http.controller';

/** GS1 EPCIS 2.0: the query interface (export) and the capture interface (scans in). */
@Module({
  imports: [FacilitiesModule, LotsModule],
  controllers: [CaptureEpcisHttpController, GetCaptureJobHttpController, GetEpcisEventsHttpController],
  providers: [CaptureJobRepository, CaptureEpcisHandler, GetCaptureJobHandler, EpcisEventReader, GetEpcisEventsHandler],
})
export class EpcisModule {}
